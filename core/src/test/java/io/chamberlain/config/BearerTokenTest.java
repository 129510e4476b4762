package io.chamberlain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The bearer check the gateway's status API and a worker's /metrics share. */
class BearerTokenTest {

  @Test
  void theTokenIsTakenFromABearerHeaderOnly() {
    // {header, token presented (null: none)}
    String[][] cases = {
        {null, null},
        {"", null},
        {"Bearer", null},
        {"Basic YTpi", null},
        {"Bearer r3ad-T0ken", "r3ad-T0ken"},
        {"bearer r3ad-T0ken", "r3ad-T0ken"},
        {"BEARER  r3ad-T0ken ", "r3ad-T0ken"},
        {"Bearer ", ""},
    };
    for (String[] c : cases) {
      assertEquals(c[1], BearerToken.presented(c[0]), "Authorization: " + c[0]);
    }
  }

  @Test
  void onlyTheConfiguredTokenMatchesAndNothingMatchesNoToken() {
    BearerToken token = BearerToken.of("r3ad-T0ken");
    assertTrue(token.isSet());
    assertTrue(token.matches("r3ad-T0ken"));
    for (String wrong : Arrays.asList(null, "", "r3ad-T0ke", "r3ad-T0ken2", "R3AD-T0KEN")) {
      assertFalse(token.matches(wrong), "presented " + wrong);
    }
    BearerToken none = BearerToken.of("");
    assertFalse(none.isSet());
    assertFalse(none.matches(""), "an empty token presented against none configured");
  }

  @Test
  void theTokenIsNeverPrinted() {
    assertEquals("(set)", BearerToken.of("r3ad-T0ken").toString());
    assertEquals("(none)", BearerToken.of("").toString());
  }
}
