package io.conveyor.asl.engine;

import io.conveyor.asl.definition.DefinitionParser;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.json.JsonValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * What a data directory costs the engine per state transition, printed, not asserted: executions of a chain of
 * Lambda tasks answered at once in process, in memory and then on a data directory (each task attempt records that
 * it started and its outcome, each an entry appended to the log), one at a time and several at once.
 *
 * <p>Run: {@code mvn -B -q -pl asl-engine test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.conveyor.asl.engine.DurabilityBenchmark -Dexec.args="2000 10"}: executions per round (2,000)
 * and tasks per execution (10). Each figure is the median of 3 rounds after one round of warm-up.
 */
public final class DurabilityBenchmark {
  private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:bench";

  private DurabilityBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int executions = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    StateMachineDefinition program = DefinitionParser.parse(chain(tasks));
    System.out.printf("%d executions of %d Lambda tasks each; median of 3 rounds, microseconds per task%n",
        executions, tasks);
    for (int concurrency : new int[] {1, 16}) {
      double memory = median(program, executions, tasks, concurrency, false);
      double disk = median(program, executions, tasks, concurrency, true);
      System.out.printf("%2d at once: in memory %6.1f us, data directory %6.1f us, difference %6.1f us%n",
          concurrency, memory, disk, disk - memory);
    }
  }

  private static String chain(int tasks) {
    StringBuilder states = new StringBuilder();
    for (int i = 0; i < tasks; i++) {
      states.append(i == 0 ? "" : ",").append("\"T").append(i).append("\":{\"Type\":\"Task\",\"Resource\":")
          .append("\"arn:aws:lambda:us-east-1:123456789012:function:f\",\"ResultPath\":\"$.r\",")
          .append(i == tasks - 1 ? "\"End\":true}" : "\"Next\":\"T" + (i + 1) + "\"}");
    }
    return "{\"StartAt\":\"T0\",\"States\":{" + states + "}}";
  }

  private static double median(StateMachineDefinition program, int executions, int tasks, int concurrency,
      boolean durable) throws Exception {
    List<Double> rounds = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      double perTask = round(program, executions, tasks, concurrency, durable);
      if (round > 0) {
        rounds.add(perTask);
      }
    }
    rounds.sort(Comparator.naturalOrder());
    return rounds.get(1);
  }

  /** One round on a new engine (and a new data directory): microseconds of wall time per task. */
  private static double round(StateMachineDefinition program, int executions, int tasks, int concurrency,
      boolean durable) throws Exception {
    Path dir = durable ? Files.createTempDirectory("asl-durability") : null;
    Engine.Builder b = Engine.builder().retainedExecutions(0)
        .taskExecutor(r -> CompletableFuture.completedFuture(JsonValues.object()));
    if (durable) {
      b.dataDirectory(dir);
    }
    try (Engine engine = b.build()) {
      Semaphore slots = new Semaphore(concurrency);
      long start = System.nanoTime();
      for (int i = 0; i < executions; i++) {
        slots.acquire();
        engine.start(program, MACHINE, null, JsonValues.object()).completion().whenComplete((e, t) -> slots.release());
      }
      slots.acquire(concurrency);
      return (System.nanoTime() - start) / 1e3 / executions / tasks;
    } finally {
      if (dir != null) {
        delete(dir);
      }
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
