package io.chamberlain.worker.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.defense.IndicatorValues;
import io.chamberlain.defense.Trace;
import io.chamberlain.defense.Verdict;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.CompletionEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The JSON-lines protocol with an external defense program against its golden lines: what a program
 * is sent, what it may answer, and how an answer from a program written for another version reads.
 */
class ExternalProtocolTest {

  private static final CompletionEvent EVENT = new CompletionEvent(ChamberKey.parse("tool001:1"), "ctx-42",
      1_700_000_000_000L, "ctx-42");

  @Test
  void theRequestMatchesItsGoldenLine() throws Exception {
    String line = ExternalProtocol.request(EVENT, Trace.NONE, new IndicatorValues(1), null, new JsonObject().put("runs", 3));
    assertEquals(golden("external-request.json"), line);
    assertTrue(!line.contains("\n"), "one request, one line");
  }

  @Test
  void theGoldenAnswerReadsAsItsVerdictAndState() throws Exception {
    ExternalProtocol.Response response = ExternalProtocol.response(golden("external-response.json"), "ctx-42", 1);
    assertEquals(Verdict.Status.WARN, response.verdict().status());
    assertEquals("MEAN_SHIFT", response.verdict().violations().get(0).rule());
    assertEquals(12.5, response.verdict().violations().get(0).value());
    assertEquals("{\"runs\":4}", response.stateJson());
  }

  @Test
  void anAnswerWithFieldsThisVersionDoesNotKnowOrWithoutTheOptionalOnesReads() throws Exception {
    JsonObject newer = new JsonObject(golden("external-response.json")).put("confidence", 0.9);
    newer.getJsonArray("violations").getJsonObject(0).put("explanation", "drifted");
    assertEquals(Verdict.Status.WARN, ExternalProtocol.response(newer.encode(), "ctx-42", 1).verdict().status());

    String minimal = "{\"contextId\":\"ctx-42\",\"status\":\"WARN\",\"violations\":[{\"rule\":\"R\",\"svid\":0,"
        + "\"indicator\":\"mean\",\"value\":1.0}]}";
    ExternalProtocol.Response read = ExternalProtocol.response(minimal, "ctx-42", 1);
    assertEquals(Verdict.Status.WARN, read.verdict().violations().get(0).severity(), "severity defaults to the status");
    assertEquals(0, read.verdict().violations().get(0).step(), "step defaults to the whole context");
    assertEquals(null, read.stateJson(), "no state: none kept");
  }

  @Test
  void anAnswerForAnotherContextOrWithAStatusItsViolationsDoNotBearIsRefused() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ExternalProtocol.response("{\"contextId\":\"ctx-41\",\"status\":\"OK\"}", "ctx-42", 1)).getMessage()
        .contains("ctx-41"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ExternalProtocol.response("{\"contextId\":\"ctx-42\",\"status\":\"ALARM\"}", "ctx-42", 1)).getMessage()
        .contains("does not match"));
  }

  private static String golden(String name) throws Exception {
    try (var in = ExternalProtocolTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }
}
