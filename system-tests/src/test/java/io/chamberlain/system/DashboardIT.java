package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chamberlain.config.GatewayConfig;
import io.chamberlain.config.HttpSecurity;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The operator dashboard in a real headless Chromium against a real cluster (nats-server, clustered
 * gateway, workers in this JVM): the page goes live over the WebSocket, shows both defenders, then a
 * third joining and taking chambers, then one crashing and its chambers moving — each step read from
 * the DOM through the page's stable hooks ({@code #connection}, {@code #leader-state},
 * {@code #defenders [data-defender]}, {@code #history [data-kind]}, {@code #lag-verdict}), never from
 * pixels. Screenshots of each step go to {@code target/screenshots}.
 *
 * <p>Needs Chromium ({@code bin/ensure-chromium}; env {@code CHROMIUM} names another binary): skipped
 * without one on a workstation, failed without one in CI ({@code CI=true}).
 */
class DashboardIT {

  private static final String CATALOG = catalog(6);
  private static final String READ_TOKEN = "dashboard-read-token";
  private static final Set<String> VERDICTS = Set.of("OK", "WARN", "STALL", "STOP");
  private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");

  private HeadlessChromium browser;

  @Test
  void showsWorkersJoiningAndDyingAsTheyHappen() throws Exception {
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    String missing = "no Chromium at " + chromium + " (bin/ensure-chromium installs one; env CHROMIUM names another)";
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(Files.isExecutable(chromium), missing);
    } else {
      assumeTrue(Files.isExecutable(chromium), missing);
    }
    // The gateway wants a read token: the page takes it from its URL fragment for every fetch and the socket.
    HttpSecurity http = new HttpSecurity(READ_TOKEN, List.of(), "", "", HttpSecurity.DEFAULT_MAX_BODY_BYTES,
        Duration.ofMillis(HttpSecurity.DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS), HttpSecurity.DEFAULT_OPERATIONS_PER_MINUTE,
        HttpSecurity.DEFAULT_MAX_LIVE_CLIENTS);
    try (InJvmCluster cluster = new InJvmCluster(CATALOG, 2, GatewayConfig.IngestSettings.DEFAULT_MAX_EVENT_BYTES, http);
        HeadlessChromium page = HeadlessChromium.launch(chromium)) {
      browser = page;
      // Every Content-Security-Policy violation the page causes (the gateway sends default-src 'self').
      page.beforeEveryDocument("window.cspViolations = []; document.addEventListener('securitypolicyviolation',"
          + " e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));");
      page.navigate("http://127.0.0.1:" + cluster.gatewayPort() + "/#token=" + READ_TOKEN);
      awaitPage("the token moved out of the URL", "location.hash === ''");

      awaitPage("the socket is live", "document.querySelector('#connection').dataset.state === 'live'");
      awaitPage("both defenders live with chambers", liveWithChambers("defender-1") + " && "
          + liveWithChambers("defender-2") + " && " + chambersShown() + " === 6");
      awaitPage("the leader stable", "document.querySelector('#leader-state').textContent === 'STABLE'");
      String verdict = page.evaluate("document.querySelector('#lag-verdict').textContent");
      assertTrue(VERDICTS.contains(verdict), "lag verdict shown: " + verdict);
      lookUp("tool950:1");
      awaitPage("a chamber's owner", "/^defender-[12]$/.test(document.querySelector("
          + "'#chamber-result [data-chamber=\"tool950:1\"] [data-field=\"owner\"]')?.textContent ?? '')");
      lookUp("tool950:404");
      awaitPage("a missing chamber's problem detail", "/^404: ./.test(document.querySelector('#chamber-result .error')"
          + "?.textContent ?? '')");
      page.screenshot(SCREENSHOTS.resolve("dashboard-1-two-defenders.png"));

      cluster.addWorker("defender-3");
      awaitPage("defender-3 owning chambers", liveWithChambers("defender-3"));
      awaitPage("an assignment moving chambers to defender-3",
          "document.querySelector('#history [data-kind=\"assignment\"][data-to~=\"defender-3\"]') !== null");
      awaitPage("the leader stable after the join", "document.querySelector('#leader-state').textContent === 'STABLE'"
          + " && " + chambersShown() + " === 6");
      page.screenshot(SCREENSHOTS.resolve("dashboard-2-worker-joined.png"));

      long newestBefore = Long.parseLong(page.evaluate("String(Math.max(0, ...[...document.querySelectorAll("
          + "'#history [data-kind]')].map(e => Number(e.dataset.seq) || 0)))"));
      String victim = cluster.killWorker(0);
      String row = "document.querySelector('#defenders [data-defender=\"" + victim + "\"]')";
      awaitPage(victim + " shown not live, or gone", "(" + row + "?.dataset.status ?? 'GONE') !== 'LIVE'");
      awaitPage(victim + "'s chambers moved to the survivors", "Number(" + row + "?.dataset.chambers ?? 0) === 0 && "
          + chambersShown() + " === 6");
      awaitPage("an assignment moving " + victim + "'s chambers", "[...document.querySelectorAll("
          + "'#history [data-kind=\"assignment\"]')].some(e => Number(e.dataset.seq) > " + newestBefore
          + " && e.dataset.from.split(' ').includes('" + victim + "'))");
      page.screenshot(SCREENSHOTS.resolve("dashboard-3-worker-killed.png"));
      assertEquals("[]", page.evaluate("JSON.stringify(window.cspViolations)"), "no CSP violation in the whole run");
    }
  }

  /** Waits until {@code condition} (JavaScript) holds in the page; on timeout fails with what the page shows. */
  private void awaitPage(String what, String condition) throws Exception {
    try {
      await(what).atMost(seconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> "true".equals(browser.evaluate("String(!!(" + condition + "))")));
    } catch (ConditionTimeoutException e) {
      AssertionError failed;
      try {
        browser.screenshot(SCREENSHOTS.resolve("dashboard-failed.png"));
        failed = new AssertionError("the dashboard did not show " + what + " within " + seconds(60) + "; it shows "
            + pageState() + "\npage console:\n" + browser.console(), e);
      } catch (RuntimeException | java.io.IOException unreadable) {
        failed = new AssertionError("the dashboard did not show " + what + " within " + seconds(60)
            + ", and the page could not be read; page console:\n" + browser.console(), e);
        failed.addSuppressed(unreadable);
      }
      throw failed;
    }
  }

  private void lookUp(String chamber) {
    browser.evaluate("document.querySelector('#chamber-query').value = '" + chamber + "';"
        + " document.querySelector('#chamber-search').requestSubmit()");
  }

  private static String liveWithChambers(String defender) {
    String row = "document.querySelector('#defenders [data-defender=\"" + defender + "\"]')";
    return "(" + row + "?.dataset.status === 'LIVE' && Number(" + row + ".dataset.chambers) > 0)";
  }

  /** The chambers the defender rows count, together. */
  private static String chambersShown() {
    return "[...document.querySelectorAll('#defenders [data-defender]')]"
        + ".reduce((sum, e) => sum + Number(e.dataset.chambers), 0)";
  }

  private String pageState() {
    JsonObject state = new JsonObject(browser.evaluate("JSON.stringify({"
        + "connection: document.querySelector('#connection').dataset.state,"
        + "leaderState: document.querySelector('#leader-state').textContent,"
        + "lag: document.querySelector('#lag-verdict').textContent,"
        + "defenders: [...document.querySelectorAll('#defenders [data-defender]')].map(e =>"
        + "  e.dataset.defender + ' ' + e.dataset.status + ' ' + e.dataset.chambers),"
        + "history: [...document.querySelectorAll('#history [data-kind]')].slice(0, 15).map(e =>"
        + "  e.dataset.seq + ' ' + e.dataset.kind + ' from=' + (e.dataset.from ?? '') + ' to=' + (e.dataset.to ?? '')),"
        + "notice: document.querySelector('#notice').textContent})"));
    return state.encodePrettily();
  }

  private static String catalog(int chambers) {
    StringBuilder yaml = new StringBuilder("chambers:\n");
    for (int i = 1; i <= chambers; i++) {
      yaml.append("  - { tool: tool950, chamber: \"").append(i)
          .append("\", svidCount: 20, hz: 1, contextSeconds: 60 }\n");
    }
    return yaml.toString();
  }
}
