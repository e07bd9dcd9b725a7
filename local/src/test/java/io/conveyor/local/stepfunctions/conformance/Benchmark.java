package io.conveyor.local.stepfunctions.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.local.stepfunctions.asl.DefinitionParser;
import io.conveyor.local.stepfunctions.asl.Program;
import io.conveyor.local.stepfunctions.engine.Engine;
import io.conveyor.local.stepfunctions.engine.Execution;
import io.conveyor.local.stepfunctions.history.HistoryEvent;
import io.conveyor.local.stepfunctions.json.Json;
import io.conveyor.local.stepfunctions.task.LambdaInvoker;
import io.conveyor.local.stepfunctions.task.TaskDispatcher;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Throughput benchmark (not a test): replays the AWS-recorded conformance cases many times, then runs a
 * 10,000-item Map with a trivial Lambda task, and prints executions/s, state transitions/s and peak heap.
 *
 * <p>Run: {@code mvn -B -q -pl local test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.conveyor.local.stepfunctions.conformance.Benchmark -Dexec.args="20"}
 */
public final class Benchmark {

  private Benchmark() {
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    List<JsonNode> cases = ConformanceCases.load();
    List<Program> programs = new ArrayList<>();
    for (JsonNode c : cases) {
      programs.add(DefinitionParser.parse(c.get("definition")));
    }
    // One stand-in for all cases: each case's lambdas are looked up by function name across the corpus.
    var lambdas = Json.object();
    cases.forEach(c -> c.path("lambdas").fields().forEachRemaining(e -> lambdas.set(e.getKey(), e.getValue())));
    LambdaInvoker invoker = new StandInLambdas(lambdas);
    try (TaskDispatcher tasks = new TaskDispatcher(invoker, true);
        Engine engine = Engine.builder().taskExecutor(tasks).timeScale(0).build()) {
      String arn = "arn:aws:states:us-east-1:111111111111:stateMachine:bench";
      // Warm-up round (JIT), not measured.
      replay(engine, arn, cases, programs, 1);
      long t0 = System.nanoTime();
      long[] transitions = replay(engine, arn, cases, programs, rounds);
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf("conformance replay: %d executions (%d cases x %d rounds) in %.2f s: %.0f executions/s, "
          + "%.0f state transitions/s%n", transitions[0], cases.size(), rounds, secs, transitions[0] / secs,
          transitions[1] / secs);

      Program map = DefinitionParser.parse("""
          {"StartAt":"Map","States":{"Map":{"Type":"Map","MaxConcurrency":0,"ItemsPath":"$.items",
            "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"Work","States":{"Work":{"Type":"Task",
              "Resource":"arn:aws:lambda:us-east-1:111111111111:function:lambda_func","End":true}}},
            "End":true}}}""");
      var items = Json.array();
      for (int i = 0; i < 10_000; i++) {
        items.add(i);
      }
      var input = Json.object();
      input.set("items", items);
      for (int warm = 0; warm < 2; warm++) {
        engine.start(map, arn, null, input).completion().get(5, TimeUnit.MINUTES);
      }
      long t1 = System.nanoTime();
      Execution e = engine.start(map, arn, null, input);
      e.completion().get(5, TimeUnit.MINUTES);
      double mapSecs = (System.nanoTime() - t1) / 1e9;
      // Each item is one child execution with one Task state; the parent adds its Map state.
      long mapTransitions = 10_000 + 1;
      System.out.printf("10,000-item Distributed Map (Lambda task per item): %s in %.2f s: %.0f items/s, %.0f state "
          + "transitions/s, %d parent history events%n", e.status(), mapSecs, 10_000 / mapSecs,
          mapTransitions / mapSecs, e.history().size());
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf("peak heap: %d MiB (max heap %d MiB)%n", peak / (1024 * 1024),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }

  /** Runs every case {@code rounds} times, at most 256 at once; returns {executions, state transitions}. */
  private static long[] replay(Engine engine, String arn, List<JsonNode> cases, List<Program> programs, int rounds)
      throws Exception {
    Semaphore inFlight = new Semaphore(256);
    long[] totals = new long[2];
    List<CompletableFuture<Execution>> running = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < cases.size(); i++) {
        inFlight.acquire();
        JsonNode input = cases.get(i).has("input") ? cases.get(i).get("input") : Json.object();
        Execution e = engine.start(programs.get(i), arn, null, input);
        CompletableFuture<Execution> f = e.completion().whenComplete((x, y) -> inFlight.release());
        running.add(f);
      }
    }
    for (int k = 0; k < running.size(); k++) {
      CompletableFuture<Execution> f = running.get(k);
      Execution e;
      try {
        e = f.get(1, TimeUnit.MINUTES);
      } catch (java.util.concurrent.TimeoutException te) {
        throw new IllegalStateException("case did not finish: " + cases.get(k % cases.size()).get("name"), te);
      }
      totals[0]++;
      for (HistoryEvent h : e.history().events()) {
        if (h.type().endsWith("StateEntered")) {
          totals[1]++;
        }
      }
    }
    return totals;
  }
}
