package io.chamberlain.tools.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.nats.StorageLimitException;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The collector against a completions stream at its size limit (discard-new): the publishes
 * JetStream refuses are counted and printed with their reason, the summary says how many were
 * stored and refused, and the exit code says something was refused — nothing vanishes unreported.
 */
class CollectorRefusalsTest {

  @Test
  void publishesAFullStreamRefusesAreCountedPrintedAndFailTheRun(@TempDir Path dir) throws Exception {
    Path catalog = Files.writeString(dir.resolve("chambers.yaml"),
        "chambers:\n  - { tool: tool001, chamber: \"1\", svidCount: 10, hz: 1, contextSeconds: 10 }\n");
    try (NatsTestServer server = NatsTestServer.start(); Connection nats = Nats.connect(server.url())) {
      // Room for a few events only: each is ~150 bytes plus headers.
      nats.jetStreamManagement().addStream(StreamConfiguration.builder().name(Subjects.COMPLETIONS_STREAM)
          .subjects(Subjects.completionsStreamSubject(1)).storageType(StorageType.Memory).maxBytes(1024)
          .discardPolicy(DiscardPolicy.New).build());

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
      long stored = nats.jetStreamManagement().getStreamInfo(Subjects.COMPLETIONS_STREAM).getStreamState().getMsgCount();

      assertEquals(CollectorCommand.SOME_REFUSED, exit, output);
      assertTrue(stored > 0 && stored < 40, "the stream took some, not all: " + stored);
      assertTrue(output.contains("refused (" + StorageLimitException.STREAM_MAX_BYTES), output);
      assertTrue(output.contains("collector: " + stored + " event(s) stored by JetStream, " + (40 - stored) + " refused {"
          + StorageLimitException.STREAM_MAX_BYTES + "=" + (40 - stored) + "}"), output);
    }
  }
}
