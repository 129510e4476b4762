package io.chamberlain.config;

import io.chamberlain.domain.Ids;
import java.util.List;

/**
 * How a node joins the Hazelcast cluster: through a TCP-IP member list, or — with
 * {@code kubernetesServiceDns} set — through Hazelcast's Kubernetes discovery in DNS mode, which
 * looks up the pods behind a headless Service and needs no API permissions. {@code tls}: whether the
 * event bus between nodes runs over mutual TLS (Hazelcast's own port cannot: open-source Hazelcast has no
 * TLS).
 */
public record ClusterSettings(String name, String host, int port, boolean portAutoIncrement, List<String> members,
    String kubernetesServiceDns, TlsSettings tls) {

  /** Joining through the member list, event bus in plain TCP. */
  public ClusterSettings(String name, String host, int port, boolean portAutoIncrement, List<String> members) {
    this(name, host, port, portAutoIncrement, members, "", null);
  }

  /** Event bus in plain TCP. */
  public ClusterSettings(String name, String host, int port, boolean portAutoIncrement, List<String> members,
      String kubernetesServiceDns) {
    this(name, host, port, portAutoIncrement, members, kubernetesServiceDns, null);
  }

  /** The same member with the event bus under {@code eventBusTls}. */
  public ClusterSettings withTls(TlsSettings eventBusTls) {
    return new ClusterSettings(name, host, port, portAutoIncrement, members, kubernetesServiceDns, eventBusTls);
  }

  public boolean discoversByKubernetesDns() {
    return !kubernetesServiceDns.isBlank();
  }

  public ClusterSettings {
    if (Ids.problem(name) != null) {
      throw new ConfigException("cluster.name '" + name + "' " + Ids.problem(name));
    }
    Validation.notBlank("cluster.host", host);
    Validation.port("cluster.port", port);
    if (members.isEmpty()) {
      throw new ConfigException("cluster.members must name at least one host:port to join");
    }
    for (String member : members) {
      int colon = member.lastIndexOf(':');
      if (colon <= 0) {
        throw new ConfigException("cluster.members entry '" + member + "' must be host:port");
      }
      try {
        Validation.port("cluster.members entry '" + member + "'", Integer.parseInt(member.substring(colon + 1)));
      } catch (NumberFormatException e) {
        throw new ConfigException("cluster.members entry '" + member + "' has no numeric port");
      }
    }
    members = List.copyOf(members);
    kubernetesServiceDns = kubernetesServiceDns == null ? "" : kubernetesServiceDns.strip();
    if (tls == null) {
      tls = TlsSettings.off("cluster.tls");
    }
  }

  public static ClusterSettings from(ResolvedConfig config) {
    return new ClusterSettings(config.string("cluster.name"), config.string("cluster.host"),
        config.integer("cluster.port"), config.bool("cluster.portAutoIncrement"),
        config.strings("cluster.members"), config.string("cluster.kubernetesServiceDns"),
        TlsSettings.from(config, "cluster.tls", true));
  }
}
