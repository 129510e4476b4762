package io.chamberlain.tools.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.nats.StorageLimitException;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The collector against the completions stream as the gateways set it up (discard-new), at its
 * size limit and closed by the room keeper's gate: the publishes JetStream refuses are counted and
 * printed with their reason, the summary says how many were stored and refused, and the exit code
 * says something was refused — nothing vanishes unreported.
 */
class CollectorRefusalsTest {

  private static final String CATALOG =
      "chambers:\n  - { tool: tool001, chamber: \"1\", svidCount: 10, hz: 1, contextSeconds: 10 }\n";

  @Test
  void publishesAFullStreamRefusesAreCountedPrintedAndFailTheRun(@TempDir Path dir) throws Exception {
    try (NatsTestServer server = NatsTestServer.start(); Connection nats = Nats.connect(server.url())) {
      // Room for a few events only: each is ~150 bytes plus headers.
      JetStreamSetup.ensureCompletions(nats,
          new JetStreamSetup.CompletionLimits(StorageType.Memory, Duration.ofHours(1), 1024, 1));
      assertRefusalsReported(server, nats, dir, StorageLimitException.STREAM_MAX_BYTES);
    }
  }

  @Test
  void publishesToAStreamClosedByTheRoomKeeperAreRefusedForItsMessageLimit(@TempDir Path dir) throws Exception {
    try (NatsTestServer server = NatsTestServer.start(); Connection nats = Nats.connect(server.url())) {
      JetStreamSetup.ensureCompletions(nats,
          new JetStreamSetup.CompletionLimits(StorageType.Memory, Duration.ofHours(1), 1 << 20, 1));
      StreamConfiguration open = nats.jetStreamManagement().getStreamInfo(Subjects.COMPLETIONS_STREAM).getConfiguration();
      nats.jetStreamManagement().updateStream(StreamConfiguration.builder(open).maxMessages(5).build());
      assertRefusalsReported(server, nats, dir, StorageLimitException.STREAM_MAX_MESSAGES);
    }
  }

  /** Runs the collector for 40 events: some stored, the rest refused for {@code reason}, all reported. */
  private static void assertRefusalsReported(NatsTestServer server, Connection nats, Path dir, String reason)
      throws Exception {
    Path catalog = Files.writeString(dir.resolve("chambers.yaml"), CATALOG);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      exit = new CommandLine(new CollectorCommand()).execute("--nats", server.url(), "--chambers", catalog.toString(),
          "--rate", "200", "--count", "40", "--no-traces");
    } finally {
      System.setOut(original);
    }
    String output = printed.toString(StandardCharsets.UTF_8);
    StreamState state = nats.jetStreamManagement().getStreamInfo(Subjects.COMPLETIONS_STREAM).getStreamState();
    long stored = state.getMsgCount();

    assertEquals(CollectorCommand.SOME_REFUSED, exit, output);
    assertTrue(stored > 0 && stored < 40, "the stream took some, not all: " + stored);
    assertEquals(1, state.getFirstSequence(), "nothing stored was deleted");
    assertTrue(output.contains("refused (" + reason), output);
    assertTrue(output.contains("collector: " + stored + " event(s) stored by JetStream, " + (40 - stored) + " refused {"
        + reason + "=" + (40 - stored) + "}"), output);
  }
}
