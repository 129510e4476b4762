package io.chamberlain.system.live;

import io.chamberlain.config.NatsSettings;
import io.chamberlain.nats.NatsOptions;
import io.chamberlain.testkit.TestTimeouts;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PushSubscribeOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the verdict stream {@code CHAMBERLAIN_VERDICTS} from the outside (ordered push consumer,
 * from the first message) and audits it against what a {@link SteadyPublisher} published with
 * {@link AuditRules}. {@link #awaitAndAudit} first waits (bounded) until the stream holds at least
 * as many messages as were published — when it never gets there the audit still runs and reports
 * the missing events as lost, rather than failing with a bare timeout.
 */
public final class VerdictAuditor {

  private static final System.Logger LOG = System.getLogger(VerdictAuditor.class.getName());
  private static final Duration NEXT_MESSAGE_TIMEOUT = Duration.ofSeconds(5);

  private final NatsSettings nats;

  public VerdictAuditor(String natsUrl) {
    this(NatsSettings.plain(natsUrl));
  }

  /** Reads the verdicts as the cluster's nodes connect (credentials, TLS). */
  public VerdictAuditor(NatsSettings nats) {
    this.nats = nats;
  }

  private Connection connect() throws java.io.IOException, InterruptedException {
    return Nats.connect(NatsOptions.builder(nats, "verdict-auditor").build());
  }

  /** Waits up to {@code drainTimeout} for a verdict per published event, then audits. */
  public AuditReport awaitAndAudit(List<PublishedEvent> published, Duration drainTimeout) {
    try (Connection connection = connect()) {
      try {
        Await.until(published.size() + " verdicts stored", drainTimeout,
            () -> streamCount(connection) >= published.size());
      } catch (Await.TimeoutException notAll) {
        LOG.log(System.Logger.Level.WARNING, "audit: only " + streamCount(connection) + " of " + published.size()
            + " verdicts after " + drainTimeout.toMillis() + " ms; auditing what is there");
      }
      return AuditRules.audit(published, readAll(connection));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while auditing", e);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("could not connect to " + nats.url(), e);
    }
  }

  /** Every message in the verdict stream right now, in stream order. */
  public List<Verdict> readAll() {
    try (Connection connection = connect()) {
      return readAll(connection);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading verdicts", e);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("could not connect to " + nats.url(), e);
    }
  }

  private static List<Verdict> readAll(Connection connection) {
    long expected = streamCount(connection);
    List<Verdict> verdicts = new ArrayList<>();
    try {
      JetStreamSubscription subscription = connection.jetStream().subscribe(Subjects.VERDICT_ALL,
          PushSubscribeOptions.builder().stream(Subjects.VERDICT_STREAM).ordered(true).build());
      try {
        for (long i = 0; i < expected; i++) {
          Message message = subscription.nextMessage(TestTimeouts.scaled(NEXT_MESSAGE_TIMEOUT));
          if (message == null) {
            throw new IllegalStateException("verdict stream went quiet after " + verdicts.size() + " of "
                + expected + " messages");
          }
          verdicts.add(Verdict.fromJson(message.metaData().streamSequence(),
              new JsonObject(Buffer.buffer(message.getData()))));
        }
      } finally {
        subscription.unsubscribe();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading verdicts", e);
    } catch (Exception e) {
      throw new IllegalStateException("could not read the verdict stream: " + e.getMessage(), e);
    }
    return verdicts;
  }

  private static long streamCount(Connection connection) {
    try {
      return connection.jetStreamManagement().getStreamInfo(Subjects.VERDICT_STREAM).getStreamState().getMsgCount();
    } catch (Exception e) {
      throw new java.io.UncheckedIOException(new java.io.IOException("verdict stream not readable: " + e.getMessage(), e));
    }
  }
}
