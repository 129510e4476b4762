# Chamberlain image: one image for every node; the command picks the role
# (gateway | worker | collector). Built by docker compose (see docker-compose.yml).
# The nodes run from their own jars; the collector (docker compose --profile demo) from the tools jar,
# a layer of its own.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml ./
COPY core/pom.xml core/
COPY shared/pom.xml shared/
COPY gateway/pom.xml gateway/
COPY worker/pom.xml worker/
COPY bench/pom.xml bench/
COPY tools/pom.xml tools/
COPY system-tests/pom.xml system-tests/
COPY config config
COPY core core
COPY shared shared
COPY gateway gateway
COPY worker worker
COPY tools tools
# Only the node jars and the tools jar go into the image; the other modules' poms are there for the reactor.
RUN mvn -q -B -DskipTests -pl gateway,worker,tools -am package

FROM eclipse-temurin:25-jre
# A user of its own, not root (the Kubernetes manifests run as 10001 and insist on non-root).
RUN groupadd --system --gid 10001 chamberlain && useradd --system --uid 10001 --gid 10001 --home /app chamberlain
WORKDIR /app
COPY --from=build /src/gateway/target/chamberlain-gateway-all.jar gateway/target/
COPY --from=build /src/worker/target/chamberlain-worker-all.jar worker/target/
# The collector's jar (bin/chamberlain collector), after the node jars: a change to a tool leaves their layers alone.
COPY --from=build /src/tools/target/chamberlain-tools.jar tools/target/
COPY bin bin
COPY config config
# The jars are built above; the launcher must not look for sources or Maven here.
ENV CHAMBERLAIN_PREBUILT=1
# Gateway: status API 8080; every node: Hazelcast 5701 (event bus port is chosen by Vert.x).
EXPOSE 8080 5701
# Container-aware heap: a share of the container's memory limit (config/jvm.options fits a laptop).
ENV JAVA_OPTS="-XX:InitialRAMPercentage=25 -XX:MaxRAMPercentage=70 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
ENTRYPOINT ["/app/bin/chamberlain"]
CMD ["--help"]
