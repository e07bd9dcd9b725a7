package io.conveyor.asl.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.definition.DefinitionParser;
import io.conveyor.asl.definition.Retrier;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.engine.TaskRequest;
import io.conveyor.asl.json.JsonValues;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Retry (backoff, MaxDelaySeconds, jitter, which retrier applies) and Catch (where the error output goes). */
class RetryCatchTest {

  private final Harness h = new Harness();

  private static Retrier retrier(long interval, double backoff, Long maxDelay, boolean jitter) {
    return new Retrier(List.of(StatesError.ALL), interval, 10, backoff, maxDelay, jitter);
  }

  /** Fails with {@code error} the first {@code failures} times, then answers {"ok":true}. */
  private static Function<TaskRequest, CompletableFuture<JsonNode>> failing(int failures, String error) {
    AtomicInteger calls = new AtomicInteger();
    return r -> calls.incrementAndGet() <= failures
        ? CompletableFuture.failedFuture(new StatesError(error, "attempt " + calls.get() + " failed"))
        : CompletableFuture.completedFuture(JsonValues.parse("{\"ok\":true}"));
  }

  private static String task(String retry, String katch) {
    return """
        {"StartAt":"T","States":{
          "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
               "Parameters":{"attempt.$":"$$.State.RetryCount"},
               "Retry":%s,"Catch":%s,"End":true},
          "Caught":{"Type":"Pass","End":true}}}""".formatted(retry, katch);
  }

  @Test
  void delay_growsByBackoffRateFromIntervalSeconds() {
    Retrier r = retrier(2, 3.0, null, false);
    assertEquals(List.of(2.0, 6.0, 18.0, 54.0),
        List.of(0, 1, 2, 3).stream().map(n -> RetryCatch.delaySeconds(r, n, () -> 0.9)).toList());
  }

  @Test
  void delay_isCappedAtMaxDelaySeconds() {
    Retrier r = retrier(1, 2.0, 5L, false);
    assertEquals(List.of(1.0, 2.0, 4.0, 5.0, 5.0),
        List.of(0, 1, 2, 3, 4).stream().map(n -> RetryCatch.delaySeconds(r, n, () -> 0.9)).toList());
  }

  @Test
  void delay_withFullJitter_isARandomPartOfTheCappedDelay() {
    Retrier r = retrier(1, 2.0, 5L, true);
    assertEquals(2.5, RetryCatch.delaySeconds(r, 3, () -> 0.5));
    assertEquals(0.0, RetryCatch.delaySeconds(r, 3, () -> 0.0));
    assertEquals(0.5, RetryCatch.delaySeconds(r, 0, () -> 0.5));
  }

  @Test
  void errorMatches_statesAll_matchesAnyErrorButRuntimeAndDataLimit() {
    State task = DefinitionParser.parse(task("[]", "[]")).state("T");
    List<String> all = List.of(StatesError.ALL);
    assertTrue(RetryCatch.errorMatches(all, "Anything", task));
    assertTrue(RetryCatch.errorMatches(all, StatesError.TIMEOUT, task));
    assertFalse(RetryCatch.errorMatches(all, StatesError.RUNTIME, task));
    assertFalse(RetryCatch.errorMatches(all, StatesError.DATA_LIMIT_EXCEEDED, task));
    assertTrue(RetryCatch.errorMatches(List.of(StatesError.RUNTIME), StatesError.RUNTIME, task),
        "named, it matches");
  }

  @Test
  void errorMatches_taskFailed_matchesATasksErrorsButItsTimeout() {
    StateMachineDefinition d = DefinitionParser.parse("""
        {"StartAt":"T","States":{
          "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"P"},
          "P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}],
               "End":true}}}""");
    List<String> taskFailed = List.of(StatesError.TASK_FAILED);
    assertTrue(RetryCatch.errorMatches(taskFailed, "Lambda.ServiceException", d.state("T")));
    assertFalse(RetryCatch.errorMatches(taskFailed, StatesError.TIMEOUT, d.state("T")));
    assertFalse(RetryCatch.errorMatches(taskFailed, StatesError.RUNTIME, d.state("T")));
    assertFalse(RetryCatch.errorMatches(taskFailed, "Lambda.ServiceException", d.state("P")));
  }

  @Test
  void retry_waitsIntervalTimesBackoff_thenSucceeds_withTheRetryCountInTheContextObject() {
    h.tasks = failing(2, "Flaky");
    CompletableFuture<JsonNode> out = h.run(task("""
        [{"ErrorEquals":["Flaky"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":3}]""", "[]"), "{}");
    assertFalse(out.isDone(), "waiting for the first retry");
    h.timer.fireAll();
    assertEquals(JsonValues.parse("{\"ok\":true}"), out.join());
    assertEquals(List.of(2000L, 6000L), h.timer.delays());
    assertEquals(List.of(0, 1, 2), h.requests.stream().map(r -> r.parameters().get("attempt").asInt()).toList());
    assertEquals(List.of("TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed",
        "TaskScheduled", "TaskStarted", "TaskFailed", "TaskScheduled", "TaskStarted", "TaskSucceeded",
        "TaskStateExited"), h.events());
  }

  @Test
  void retry_withMaxDelaySeconds_waitsNoLongerThanIt() {
    h.tasks = failing(4, "Flaky");
    CompletableFuture<JsonNode> out = h.run(task("""
        [{"ErrorEquals":["States.ALL"],"IntervalSeconds":3,"BackoffRate":2,"MaxAttempts":5,
          "MaxDelaySeconds":10}]""", "[]"), "{}");
    h.timer.fireAll();
    assertEquals(JsonValues.parse("{\"ok\":true}"), out.join());
    assertEquals(List.of(3000L, 6000L, 10000L, 10000L), h.timer.delays());
  }

  @Test
  void retry_withFullJitter_waitsAtMostTheBackoffDelay() {
    h.tasks = failing(3, "Flaky");
    CompletableFuture<JsonNode> out = h.run(task("""
        [{"ErrorEquals":["States.ALL"],"IntervalSeconds":4,"BackoffRate":2,"MaxAttempts":3,
          "JitterStrategy":"FULL"}]""", "[]"), "{}");
    h.timer.fireAll();
    assertEquals(JsonValues.parse("{\"ok\":true}"), out.join());
    List<Long> delays = h.timer.delays();
    assertEquals(3, delays.size());
    for (int i = 0; i < 3; i++) {
      long max = 4000L << i;
      long d = delays.get(i);
      assertTrue(d >= 0 && d <= max, "retry " + (i + 1) + " waited " + d + " ms, at most " + max);
    }
  }

  @Test
  void retry_onlyTheFirstMatchingRetrierApplies_evenWhenItIsExhausted() {
    h.tasks = failing(10, "Specific");
    CompletableFuture<JsonNode> out = h.run(task("""
        [{"ErrorEquals":["Specific"],"IntervalSeconds":1,"MaxAttempts":1},
         {"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":5}]""", "[]"), "{}");
    h.timer.fireAll();
    assertEquals("Specific", Harness.failure(out).error());
    assertEquals(2, h.requests.size(), "the first attempt and one retry");
  }

  @Test
  void retry_withMaxAttemptsZero_neverRetries() {
    h.tasks = failing(1, "Flaky");
    CompletableFuture<JsonNode> out = h.run(task("""
        [{"ErrorEquals":["States.ALL"],"MaxAttempts":0}]""", "[]"), "{}");
    assertEquals("Flaky", Harness.failure(out).error());
    assertEquals(List.of(), h.timer.delays());
  }

  @Test
  void catch_afterTheRetriesRanOut_placesTheErrorOutputAtResultPath_andGoesToNext() {
    h.tasks = failing(10, "Broken");
    CompletableFuture<JsonNode> out = h.run(task("""
        [{"ErrorEquals":["Broken"],"IntervalSeconds":1,"MaxAttempts":2}]""", """
        [{"ErrorEquals":["Broken"],"ResultPath":"$.error","Next":"Caught"}]"""), "{\"keep\":1}");
    h.timer.fireAll();
    assertEquals(JsonValues.parse("{\"keep\":1,\"error\":{\"Error\":\"Broken\",\"Cause\":\"attempt 3 failed\"}}"),
        out.join());
    assertTrue(h.events().contains("PassStateEntered"), "went on to Caught: " + h.events());
  }

  @Test
  void catch_withoutResultPath_outputsTheErrorOutput_andWithNullResultPath_theInput() {
    h.tasks = failing(1, "Broken");
    assertEquals(JsonValues.parse("{\"Error\":\"Broken\",\"Cause\":\"attempt 1 failed\"}"), h.run(task("[]", """
        [{"ErrorEquals":["States.ALL"],"Next":"Caught"}]"""), "{\"keep\":1}").join());
    h.tasks = failing(1, "Broken");
    assertEquals(JsonValues.parse("{\"keep\":1}"), h.run(task("[]", """
        [{"ErrorEquals":["States.ALL"],"ResultPath":null,"Next":"Caught"}]"""), "{\"keep\":1}").join());
  }

  @Test
  void catch_withJsonata_outputsWhatItsOutputMakesOfTheErrorOutput() {
    h.tasks = failing(1, "Broken");
    JsonNode out = h.run("""
        {"QueryLanguage":"JSONata","StartAt":"T","States":{
          "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
               "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught",
                         "Output":{"what":"{% $states.errorOutput.Error %}","input":"{% $states.input %}"}}]},
          "Caught":{"Type":"Pass","End":true}}}""", "{\"keep\":1}").join();
    assertEquals(JsonValues.parse("{\"what\":\"Broken\",\"input\":{\"keep\":1}}"), out);
  }

  @Test
  void aRuntimeError_isNeitherRetriedNorCaughtByStatesAll() {
    CompletableFuture<JsonNode> out = h.run("""
        {"StartAt":"T","States":{
          "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","InputPath":"$.missing","End":true,
               "Retry":[{"ErrorEquals":["States.ALL"]}],
               "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}]},
          "Caught":{"Type":"Pass","End":true}}}""", "{}");
    StatesError e = Harness.failure(out);
    assertEquals(StatesError.RUNTIME, e.error());
    assertTrue(e.errorCause().startsWith(
        "An error occurred while executing the state 'T' (entered at the event id #1)."), e.errorCause());
    assertEquals(List.of(), h.timer.delays());
    assertEquals(List.of(), h.requests);
  }
}
