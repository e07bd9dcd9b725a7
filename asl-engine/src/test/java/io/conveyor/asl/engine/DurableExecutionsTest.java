package io.conveyor.asl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.Poll;
import io.conveyor.asl.definition.DefinitionParser;
import io.conveyor.asl.json.JsonValues;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Executions on a data directory outlive their engine: a second engine on the same directory resumes each one that
 * had not ended, running no task again whose outcome was recorded, and failing (for its Retry to handle) the
 * attempts that were in flight.
 */
class DurableExecutionsTest {
  private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:durable";
  private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:";
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir
  Path data;

  /** Counts the invocations per function (the resource's last part) and answers as told. */
  private static final class Functions implements TaskExecutor {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final List<String> tokens = new CopyOnWriteArrayList<>();
    private final Function<TaskRequest, CompletableFuture<JsonNode>> answer;

    Functions(Function<TaskRequest, CompletableFuture<JsonNode>> answer) {
      this.answer = answer;
    }

    @Override
    public CompletableFuture<JsonNode> execute(TaskRequest r) {
      String name = r.resource().substring(r.resource().lastIndexOf(':') + 1);
      calls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
      if (r.taskToken() != null) {
        tokens.add(r.taskToken());
      }
      return answer.apply(r);
    }

    int calls(String name) {
      AtomicInteger n = calls.get(name);
      return n == null ? 0 : n.get();
    }
  }

  private static CompletableFuture<JsonNode> result(String json) {
    return CompletableFuture.completedFuture(JsonValues.parse(json));
  }

  /** Never answers: the invocation is in flight when the engine stops. */
  private static CompletableFuture<JsonNode> inFlight() {
    return new CompletableFuture<>();
  }

  private Engine engine(TaskExecutor tasks, double timeScale) {
    return engine(tasks, timeScale, Clock.systemUTC());
  }

  private Engine engine(TaskExecutor tasks, double timeScale, Clock clock) {
    return Engine.builder().dataDirectory(data).taskExecutor(tasks).timeScale(timeScale).clock(clock).build();
  }

  /** Past the deadlines of the 1-second timers the tests record (1,000 s at 1/1000). */
  private static final Clock PAST_THE_DEADLINES = Clock.offset(Clock.systemUTC(), Duration.ofMillis(1500));

  private static Execution start(Engine engine, String definition, String input) {
    return engine.start(DefinitionParser.parse(definition), MACHINE, "run", JsonValues.parse(input));
  }

  /** Waits until the execution's journal holds an effect whose key ends so (it is on disk then). */
  private static void recorded(Engine engine, String arn, String keyEnd) {
    Poll.until(() -> ((ExecutionStore.DurableJournal) engine.execution(arn).journal()).entries().keySet(),
        keys -> keys.stream().anyMatch(k -> k.endsWith(keyEnd)), DEADLINE);
  }

  private static Execution ended(Engine engine, String arn) {
    return Poll.until(() -> engine.execution(arn), x -> x != null && x.status() != ExecutionStatus.RUNNING,
        DEADLINE);
  }

  private static final String TWO_TASKS = """
      {"StartAt":"First","States":{
        "First":{"Type":"Task","Resource":"%1$sfirst","ResultPath":"$.first","Next":"Second"},
        "Second":{"Type":"Task","Resource":"%1$ssecond","ResultPath":"$.second",%2$s"End":true}}}"""
      .formatted(FUNCTION, "%s");
  private static final String RETRY_LOST = """
      "Retry":[{"ErrorEquals":["Lambda.ServiceException"],"IntervalSeconds":1,"MaxAttempts":2}],""";

  @Test
  void aRecordedTaskIsNotRunAgain_andTheOneInFlightIsRetriedAsALambdaServiceException() {
    String definition = TWO_TASKS.formatted(RETRY_LOST);
    Functions before = new Functions(r -> r.resource().endsWith("first") ? result("{\"n\":1}") : inFlight());
    String arn;
    try (Engine engine = engine(before, 0.001)) {
      arn = start(engine, definition, "{}").executionArn();
      recorded(engine, arn, "Second@0:run");
    }
    Functions after = new Functions(r -> result("{\"n\":2}"));
    try (Engine engine = engine(after, 0.001)) {
      assertEquals(1, engine.resume().size());
      Execution e = ended(engine, arn);
      assertEquals(ExecutionStatus.SUCCEEDED, e.status());
      assertEquals(JsonValues.parse("{\"first\":{\"n\":1},\"second\":{\"n\":2}}"), e.output());
      assertEquals(0, after.calls("first"));
      assertEquals(1, after.calls("second"));
      assertTrue(e.history().events().stream().anyMatch(ev -> ev.type().equals("LambdaFunctionFailed")
          && ev.details().path("error").asText().equals("Lambda.ServiceException")), "the lost attempt is in the history");
    }
  }

  @Test
  void anAttemptInFlight_withNoRetryForIt_failsTheExecution() {
    String arn;
    try (Engine engine = engine(new Functions(r -> r.resource().endsWith("first") ? result("{}") : inFlight()), 1)) {
      arn = start(engine, TWO_TASKS.formatted(""), "{}").executionArn();
      recorded(engine, arn, "Second@0:run");
    }
    Functions after = new Functions(r -> result("{}"));
    try (Engine engine = engine(after, 1)) {
      engine.resume();
      Execution e = ended(engine, arn);
      assertEquals(ExecutionStatus.FAILED, e.status());
      assertEquals("Lambda.ServiceException", e.error());
      assertEquals(0, after.calls.size());
    }
  }

  @Test
  void aWaitingCallbackToken_isAnsweredAfterTheRestart() {
    String definition = """
        {"StartAt":"Park","States":{"Park":{"Type":"Task",
          "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}""";
    Functions before = new Functions(r -> result("{}"));
    String arn;
    String token;
    try (Engine engine = engine(before, 1)) {
      Execution e = start(engine, definition, "{}");
      arn = e.executionArn();
      token = Poll.until(() -> before.tokens, t -> !t.isEmpty(), DEADLINE).get(0);
      recorded(engine, arn, ":submitted");
    }
    Functions after = new Functions(r -> result("{}"));
    try (Engine engine = engine(after, 1)) {
      engine.resume();
      engine.sendTaskSuccess(token, JsonValues.parse("{\"admitted\":true}"));
      Execution e = ended(engine, arn);
      assertEquals(ExecutionStatus.SUCCEEDED, e.status());
      assertEquals(JsonValues.parse("{\"admitted\":true}"), e.output());
      assertEquals(0, after.calls.size(), "the task that handed out the token is not invoked again");
    }
  }

  @Test
  void aWaitKeepsItsDeadline_acrossTheRestart() throws Exception {
    // 1,000 s at 1/1000: one second before the stop. After it, on a time scale of 1, a Wait that started again
    // would take 1,000 s; the one kept ends at its deadline, already past.
    String definition = """
        {"StartAt":"Pause","States":{"Pause":{"Type":"Wait","Seconds":1000,"Next":"Done"},
          "Done":{"Type":"Pass","Result":"done","End":true}}}""";
    String arn;
    try (Engine engine = engine(new Functions(r -> result("{}")), 0.001)) {
      arn = start(engine, definition, "{}").executionArn();
      recorded(engine, arn, ":wait");
    }
    // The second engine's clock is past the deadline, as after a stop of more than a second.
    try (Engine engine = engine(new Functions(r -> result("{}")), 1, PAST_THE_DEADLINES)) {
      engine.resume();
      assertEquals(ExecutionStatus.SUCCEEDED, ended(engine, arn).status());
    }
  }

  @Test
  void aRetryBackoffKeepsItsDeadline_andTheFailedAttemptIsNotRunAgain() throws Exception {
    String definition = """
        {"StartAt":"Flaky","States":{"Flaky":{"Type":"Task","Resource":"%sflaky",
          "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1000,"MaxAttempts":1}],"End":true}}}"""
        .formatted(FUNCTION);
    Functions before = new Functions(r -> CompletableFuture.failedFuture(new StatesError("Busy", "try later")));
    String arn;
    try (Engine engine = engine(before, 0.001)) {
      arn = start(engine, definition, "{}").executionArn();
      recorded(engine, arn, ":backoff");
    }
    Functions after = new Functions(r -> result("\"ok\""));
    try (Engine engine = engine(after, 1, PAST_THE_DEADLINES)) {
      engine.resume();
      Execution e = ended(engine, arn);
      assertEquals(ExecutionStatus.SUCCEEDED, e.status());
      assertEquals(1, after.calls("flaky"), "only the retry runs after the restart");
      assertEquals(1, before.calls("flaky"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"INLINE", "DISTRIBUTED"})
  void mapIterationsThatEnded_areNotRunAgain_andTheOthersResume(String mode) {
    String definition = """
        {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items",
          "ItemProcessor":{"ProcessorConfig":{"Mode":"%s"},"StartAt":"Work","States":{
            "Work":{"Type":"Task","Resource":"%swork","Parameters":{"item.$":"$"},%s"End":true}}},
          "End":true}}}""".formatted(mode, FUNCTION, RETRY_LOST);
    Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
    Function<Boolean, Functions> functions = oddsInFlight -> new Functions(r -> {
      int item = r.parameters().get("item").asInt();
      runs.computeIfAbsent(item, i -> new AtomicInteger()).incrementAndGet();
      return oddsInFlight && item % 2 == 1 ? inFlight() : result(String.valueOf(item * 10));
    });
    Functions before = functions.apply(true);
    String arn;
    List<String> mapRunsBefore;
    try (Engine engine = engine(before, 0.001)) {
      arn = start(engine, definition, "{\"items\":[0,1,2,3,4,5]}").executionArn();
      Poll.until(() -> before.calls("work"), n -> n == 6, DEADLINE);
      if (mode.equals("INLINE")) {
        // Every iteration's attempt has started, and the even ones' outcomes are kept.
        Poll.until(() -> ((ExecutionStore.DurableJournal) engine.execution(arn).journal()).entries().keySet(),
            keys -> keys.stream().filter(k -> k.endsWith(":run")).count() == 6
                && keys.stream().filter(k -> k.endsWith(":outcome")).count() == 3, DEADLINE);
      } else {
        MapRun run = Poll.until(() -> engine.mapRuns(arn), started -> !started.isEmpty(), DEADLINE).get(0);
        Poll.until(() -> run.executions().succeeded(), n -> n == 3, DEADLINE);
        for (int i = 1; i < 6; i += 2) {
          recorded(engine, DistributedMapRun.childArn(run, ":execution:", i), ":run");
        }
      }
      mapRunsBefore = engine.mapRuns(arn).stream().map(MapRun::mapRunArn).toList();
    }
    try (Engine engine = engine(functions.apply(false), 0.001)) {
      engine.resume();
      Execution e = ended(engine, arn);
      assertEquals(ExecutionStatus.SUCCEEDED, e.status(), () -> e.error() + ": " + e.cause());
      assertEquals(JsonValues.parse("[0,10,20,30,40,50]"), e.output());
      for (int item = 0; item < 6; item++) {
        assertEquals(item % 2 == 0 ? 1 : 2, runs.get(item).get(), "runs of item " + item);
      }
      assertEquals(mapRunsBefore, engine.mapRuns(arn).stream().map(MapRun::mapRunArn).toList(),
          "a Distributed Map's run keeps its ARN");
      if (mode.equals("DISTRIBUTED")) {
        MapRun run = engine.mapRun(mapRunsBefore.get(0));
        assertEquals(6, run.executions().succeeded());
      }
    }
  }

  @Test
  void aFailedExecution_isRedrivenAfterARestart_andTheRedrivenRunResumesAfterAnother() {
    String definition = """
        {"StartAt":"Set","States":{"Set":{"Type":"Pass","Assign":{"kept":"from before"},"Next":"Work"},
          "Work":{"Type":"Task","Resource":"%swork","Parameters":{"kept.$":"$kept"},%s"End":true}}}"""
        .formatted(FUNCTION, RETRY_LOST);
    String arn;
    try (Engine engine = engine(new Functions(r -> CompletableFuture.failedFuture(new StatesError("Broken", "no"))),
        1)) {
      arn = start(engine, definition, "{}").executionArn();
      assertEquals(ExecutionStatus.FAILED, ended(engine, arn).status());
    }
    try (Engine engine = engine(new Functions(r -> inFlight()), 1)) {
      engine.resume();
      Execution failed = engine.execution(arn);
      assertTrue(engine.redrive(failed), "a failed execution restored from the data directory can be redriven");
      recorded(engine, arn, "Work@0:run");
    }
    Functions last = new Functions(r -> CompletableFuture.completedFuture(r.parameters()));
    try (Engine engine = engine(last, 0.001)) {
      assertEquals(1, engine.resume().size());
      Execution e = ended(engine, arn);
      // The redriven run's attempt was lost and retried, with the variables the execution had when it failed.
      assertEquals(ExecutionStatus.SUCCEEDED, e.status(), () -> e.error() + ": " + e.cause());
      assertEquals(JsonValues.parse("{\"kept\":\"from before\"}"), e.output());
      assertEquals(1, e.redriveCount());
      assertEquals(1, last.calls("work"));
    }
  }

  @Test
  void anExecutionThatEnded_isDescribedAfterTheRestart_andNotRunAgain() {
    Functions before = new Functions(r -> result("{\"n\":1}"));
    String arn;
    try (Engine engine = engine(before, 1)) {
      arn = start(engine, TWO_TASKS.formatted(""), "{\"k\":\"v\"}").executionArn();
      ended(engine, arn);
    }
    Functions after = new Functions(r -> result("{}"));
    try (Engine engine = engine(after, 1)) {
      assertEquals(List.of(), engine.resume());
      Execution e = engine.execution(arn);
      assertNotNull(e);
      assertEquals(ExecutionStatus.SUCCEEDED, e.status());
      assertEquals(JsonValues.parse("{\"k\":\"v\",\"first\":{\"n\":1},\"second\":{\"n\":1}}"), e.output());
      assertEquals(JsonValues.parse("{\"k\":\"v\"}"), e.input());
      assertEquals(0, after.calls.size());
    }
  }
}
