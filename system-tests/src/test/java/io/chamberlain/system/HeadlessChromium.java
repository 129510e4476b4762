package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real headless Chromium, driven over the Chrome DevTools Protocol with the JDK's WebSocket client:
 * {@link #launch} starts the browser on a fresh profile with {@code --remote-debugging-port=0}, reads
 * the port it picked from {@code DevToolsActivePort}, and attaches to its one page. Commands are JSON
 * {@code {id, method, params}}; each waits for the reply with its id, bounded. The page's console
 * output and uncaught exceptions are kept ({@link #console()}) so a failing test can show them.
 *
 * <p>Meant for one test thread; replies and events arrive on the WebSocket client's thread.
 */
final class HeadlessChromium implements AutoCloseable {

  /** How long one DevTools command may take (a navigation's load is waited for separately). */
  private static final Duration COMMAND_TIMEOUT = seconds(30);
  private static final Duration START_TIMEOUT = seconds(30);
  private static final Duration LOAD_TIMEOUT = seconds(30);
  private static final int CONSOLE_KEPT = 200;

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> replies = new ConcurrentHashMap<>();
  private final Map<String, List<CompletableFuture<JsonObject>>> eventWaiters = new ConcurrentHashMap<>();
  private final List<String> console = new ArrayList<>();
  private volatile boolean closed;

  private HeadlessChromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /**
   * Starts {@code binary} headless on a fresh profile and attaches to its page.
   *
   * @throws IOException with the browser's output when it does not start or cannot be attached to
   */
  static HeadlessChromium launch(Path binary) throws IOException {
    Path profile = Files.createTempDirectory("chromium-profile-");
    Path log = profile.resolveSibling(profile.getFileName() + ".log");
    Process process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=1400,1000",
        "about:blank")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Path activePort = profile.resolve("DevToolsActivePort");
      await("Chromium writes " + activePort).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
          .until(() -> !process.isAlive() || readLines(activePort).size() >= 2);
      if (!process.isAlive()) {
        throw new IOException("it exited with " + process.exitValue());
      }
      int port = Integer.parseInt(readLines(activePort).get(0).trim());
      String pageSocket = pageTarget(port);
      HeadlessChromium browser = connect(process, profile, pageSocket);
      browser.send("Page.enable", new JsonObject());
      browser.send("Runtime.enable", new JsonObject());
      return browser;
    } catch (IOException | RuntimeException | Error failed) {
      destroy(process);
      String output = tail(log);
      deleteTree(profile);
      Files.deleteIfExists(log);
      throw new IOException("could not start Chromium " + binary + ": " + failed.getMessage()
          + "; its output: " + output, failed);
    }
  }

  /** The WebSocket of the browser's first page target, from {@code /json/list}. */
  private static String pageTarget(int port) throws IOException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(seconds(5)).build();
    HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
        .timeout(seconds(10)).build();
    String[] found = new String[1];
    await("Chromium lists its page").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
      JsonArray targets = new JsonArray(http.send(list, HttpResponse.BodyHandlers.ofString()).body());
      for (int i = 0; i < targets.size(); i++) {
        JsonObject target = targets.getJsonObject(i);
        if ("page".equals(target.getString("type")) && target.getString("webSocketDebuggerUrl") != null) {
          found[0] = target.getString("webSocketDebuggerUrl");
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  private static HeadlessChromium connect(Process process, Path profile, String url) throws IOException {
    Listener listener = new Listener();
    WebSocket socket;
    try {
      socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(seconds(10))
          .buildAsync(URI.create(url), listener).get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted connecting to " + url, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("could not connect to Chromium's page at " + url + ": " + e, e);
    }
    HeadlessChromium browser = new HeadlessChromium(process, profile, socket);
    listener.browser = browser;
    return browser;
  }

  /** Runs {@code script} in every document this page loads from now on, before the document's own scripts. */
  void beforeEveryDocument(String script) {
    send("Page.addScriptToEvaluateOnNewDocument", new JsonObject().put("source", script));
  }

  /** Loads {@code url} and waits for its load event; throws if the navigation fails (refused, DNS, …). */
  void navigate(String url) {
    CompletableFuture<JsonObject> loaded = nextEvent("Page.loadEventFired");
    JsonObject result = send("Page.navigate", new JsonObject().put("url", url));
    if (result.getString("errorText") != null) {
      throw new IllegalStateException("navigation to " + url + " failed: " + result.getString("errorText"));
    }
    waitFor(loaded, LOAD_TIMEOUT, "the load event of " + url);
  }

  /**
   * Evaluates {@code expression} in the page (awaiting a promise it returns) and gives its value: a
   * string as is, {@code null} for undefined or null, anything else as JSON text.
   *
   * @throws IllegalStateException with the page's exception text when the expression throws
   */
  String evaluate(String expression) {
    JsonObject reply = send("Runtime.evaluate", new JsonObject().put("expression", expression)
        .put("returnByValue", true).put("awaitPromise", true));
    JsonObject thrown = reply.getJsonObject("exceptionDetails");
    if (thrown != null) {
      JsonObject exception = thrown.getJsonObject("exception", new JsonObject());
      throw new IllegalStateException("the page threw evaluating " + expression + ": "
          + exception.getString("description", thrown.getString("text")));
    }
    Object value = reply.getJsonObject("result", new JsonObject()).getValue("value");
    if (value == null) {
      return null;
    }
    if (value instanceof JsonObject object) {
      return object.encode();
    }
    if (value instanceof JsonArray array) {
      return array.encode();
    }
    return value.toString();
  }

  /** Saves what the page shows now (the window's viewport) as a PNG, creating the directory. */
  void screenshot(Path png) throws IOException {
    JsonObject shot = send("Page.captureScreenshot", new JsonObject().put("format", "png"));
    if (png.getParent() != null) {
      Files.createDirectories(png.getParent());
    }
    Files.write(png, Base64.getDecoder().decode(shot.getString("data")));
  }

  /** The page's console messages and uncaught exceptions so far (newest last, the last {@value #CONSOLE_KEPT}). */
  String console() {
    synchronized (console) {
      return String.join("\n", console);
    }
  }

  /** Ends the browser and every process it started, and deletes its profile; safe to call twice. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    socket.abort();
    onGone("closed by the test");
    destroy(process);
    deleteTree(profile);
    Files.deleteIfExists(profile.resolveSibling(profile.getFileName() + ".log"));
  }

  private JsonObject send(String method, JsonObject params) {
    if (closed) {
      throw new IllegalStateException("the browser is closed");
    }
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    replies.put(id, reply);
    try {
      socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true)
          .get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      JsonObject answer = waitFor(reply, COMMAND_TIMEOUT, method);
      JsonObject error = answer.getJsonObject("error");
      if (error != null) {
        throw new IllegalStateException(method + " failed: " + error.getString("message") + " "
            + error.getValue("data", ""));
      }
      return answer.getJsonObject("result", new JsonObject());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending " + method, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not send " + method + ": " + e, e);
    } finally {
      replies.remove(id);
    }
  }

  private CompletableFuture<JsonObject> nextEvent(String method) {
    CompletableFuture<JsonObject> event = new CompletableFuture<>();
    eventWaiters.computeIfAbsent(method, m -> new CopyOnWriteArrayList<>()).add(event);
    return event;
  }

  private JsonObject waitFor(CompletableFuture<JsonObject> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer for " + what + " within " + timeout + "; browser alive: "
          + process.isAlive() + "; console:\n" + console(), e);
    }
  }

  private void onMessage(JsonObject message) {
    Integer id = message.getInteger("id");
    if (id != null) {
      CompletableFuture<JsonObject> reply = replies.get(id);
      if (reply != null) {
        reply.complete(message);
      }
      return;
    }
    String method = message.getString("method", "");
    JsonObject params = message.getJsonObject("params", new JsonObject());
    switch (method) {
      case "Runtime.consoleAPICalled" ->
          keep(params.getString("type") + ": " + consoleText(params.getJsonArray("args")));
      case "Runtime.exceptionThrown" -> {
        JsonObject details = params.getJsonObject("exceptionDetails", new JsonObject());
        keep("uncaught: " + details.getJsonObject("exception", new JsonObject())
            .getString("description", details.getString("text")));
      }
      default -> {
      }
    }
    List<CompletableFuture<JsonObject>> waiting = eventWaiters.remove(method);
    if (waiting != null) {
      waiting.forEach(waiter -> waiter.complete(params));
    }
  }

  private static String consoleText(JsonArray args) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; args != null && i < args.size(); i++) {
      JsonObject arg = args.getJsonObject(i);
      Object value = arg.getValue("value");
      parts.add(value != null ? value.toString() : arg.getString("description", arg.getString("type")));
    }
    return String.join(" ", parts);
  }

  private void keep(String line) {
    synchronized (console) {
      console.add(line);
      if (console.size() > CONSOLE_KEPT) {
        console.remove(0);
      }
    }
  }

  /** The browser went away: commands waiting for a reply fail now instead of at their timeout. */
  private void onGone(String why) {
    replies.values().forEach(reply -> reply.completeExceptionally(new IllegalStateException(
        "Chromium's DevTools connection ended (" + why + "); browser alive: " + process.isAlive())));
    eventWaiters.values().forEach(waiting -> waiting.forEach(waiter -> waiter.completeExceptionally(
        new IllegalStateException("Chromium's DevTools connection ended (" + why + ")"))));
  }

  /** Assembles text frames into messages and hands them to the browser object. */
  private static final class Listener implements WebSocket.Listener {
    /** Set once connected; what arrives before is no reply (no command was sent yet) and is dropped. */
    volatile HeadlessChromium browser;
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonObject message = new JsonObject(partial.toString());
        partial.setLength(0);
        HeadlessChromium chromium = browser;
        if (chromium != null) {
          chromium.onMessage(message);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      HeadlessChromium chromium = browser;
      if (chromium != null) {
        chromium.onGone("closed " + statusCode + " " + reason);
      }
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      HeadlessChromium chromium = browser;
      if (chromium != null) {
        chromium.onGone(String.valueOf(error));
      }
    }
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      return List.of(); // being written
    }
  }

  private static String tail(Path log) {
    try {
      String text = Files.exists(log) ? Files.readString(log) : "";
      return text.length() > 4_000 ? text.substring(text.length() - 4_000) : text;
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM to the browser and its helpers, SIGKILL to whatever is left after a bounded wait. */
  private static void destroy(Process process) {
    List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(seconds(5).toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException e) {
        handle.destroyForcibly();
        handle.onExit().completeOnTimeout(handle, seconds(5).toMillis(), TimeUnit.MILLISECONDS).join();
      }
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      System.getLogger(HeadlessChromium.class.getName()).log(System.Logger.Level.WARNING,
          "chromium: could not delete its profile [" + root + "]: " + e.getMessage());
    }
  }
}
