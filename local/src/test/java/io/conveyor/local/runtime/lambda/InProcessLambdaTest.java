package io.conveyor.local.runtime.lambda;

import io.conveyor.scenarios.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conveyor.deployment.FunctionSpec;
import io.conveyor.asl.task.LambdaInvoker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class InProcessLambdaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InProcessLambda LAMBDA = new InProcessLambda();

    @AfterAll
    static void close() {
        LAMBDA.close();
    }

    private static LocalFunction deploy(String name, Class<?> handler, Duration timeout, Map<String, String> env) {
        return LAMBDA.deploy(new FunctionSpec(name, handler.getName(), 768, timeout, List.of()),
                "arn:aws:lambda:us-east-1:000000000000:function:" + name, env);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void anInvocationOverTheReservedConcurrency_isThrottledBeforeAnyHandlerRuns_andCounted() throws Exception {
        TestHandlers.GatedHandler.GATE = new CountDownLatch(1);
        int entered = TestHandlers.GatedHandler.ENTERED.get();
        LAMBDA.deploy(new FunctionSpec("Gated", TestHandlers.GatedHandler.class.getName(), 512, Duration.ofSeconds(30),
                List.of()).withReservedConcurrency(1), "arn:aws:lambda:us-east-1:000000000000:function:Gated", Map.of());
        CompletableFuture<Invocation> first = CompletableFuture.supplyAsync(() -> LAMBDA.invocation("Gated", "{}"));
        Await.until("the first invocation to run", Duration.ofSeconds(10),
                () -> TestHandlers.GatedHandler.ENTERED.get() > entered ? true : null);

        LambdaInvoker.LambdaServiceException throttled = assertThrows(LambdaInvoker.LambdaServiceException.class,
                () -> LAMBDA.invoke("Gated", "{}"), "the engine's view: Step Functions reports Lambda.<code>");
        assertEquals("TooManyRequestsException", throttled.errorCode());
        assertEquals(1, LAMBDA.throttles("Gated"));
        assertEquals(entered + 1, TestHandlers.GatedHandler.ENTERED.get(), "the throttled call ran no handler");
        assertEquals(1, LAMBDA.limits().running("Gated"));

        TestHandlers.GatedHandler.GATE.countDown();
        assertEquals("\"through\"", first.get(10, TimeUnit.SECONDS).payload());
        assertEquals(0, LAMBDA.limits().running("Gated"), "an ended invocation frees its execution");
        assertEquals("\"through\"", LAMBDA.invocation("Gated", "{}").payload());
    }

    @Test
    void aTimedOutInvocation_freesItsConcurrencyAtItsTimeout() {
        LAMBDA.deploy(new FunctionSpec("SleepyReserved", TestHandlers.SleepingHandler.class.getName(), 512,
                Duration.ofSeconds(1), List.of()).withReservedConcurrency(1),
                "arn:aws:lambda:us-east-1:000000000000:function:SleepyReserved", Map.of());
        assertTrue(LAMBDA.invocation("SleepyReserved", "{}").failed(), "timed out");
        assertFalse(LAMBDA.invocation("SleepyReserved", "{\"quick\": true}").failed(),
                "the next invocation is not throttled by the discarded one");
    }

    @Test
    void invoke_givesTheHandlerItsContextAndEnvironment() throws Exception {
        deploy("Context", TestHandlers.ContextHandler.class, Duration.ofSeconds(3), Map.of("GREETING", "hello"));

        Invocation result = LAMBDA.invocation("Context", "{\"n\": 1}");

        assertFalse(result.failed(), result.payload());
        JsonNode out = json(result.payload());
        assertEquals(1, out.path("input").path("n").asInt());
        int remaining = out.path("remainingMillis").asInt();
        assertTrue(remaining > 2000 && remaining <= 3000, "remaining time " + remaining + " ms of a 3 s timeout");
        assertEquals(768, out.path("memoryMb").asInt());
        assertEquals("Context", out.path("functionName").asText());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:Context", out.path("functionArn").asText());
        assertEquals(result.requestId(), out.path("requestId").asText());
        assertEquals("/aws/lambda/Context", out.path("logGroup").asText());
        assertEquals("hello", out.path("builtWith").asText(), "the constructor sees the function's environment");
        assertEquals("hello", out.path("runsWith").asText(), "the invocation sees the function's environment");
    }

    @Test
    void invoke_byArnOrQualifiedName_reachesTheSameFunction() throws Exception {
        deploy("Named", TestHandlers.ContextHandler.class, Duration.ofSeconds(3), Map.of());

        for (String name : List.of("Named", "Named:$LATEST", "function:Named",
                "arn:aws:lambda:us-east-1:000000000000:function:Named", "arn:aws:lambda:us-east-1:000000000000:function:Named:$LATEST")) {
            assertEquals("Named", json(LAMBDA.invocation(name, "{}").payload()).path("functionName").asText(), name);
        }
    }

    @Test
    void invoke_unknownFunction_isAServiceErrorNotAFunctionError() {
        var e = assertThrows(LambdaInvoker.LambdaServiceException.class, () -> LAMBDA.invoke("Nobody", "{}"));
        assertEquals("ResourceNotFoundException", e.errorCode());
    }

    @Test
    void invoke_pastItsTimeout_isStoppedWithLambdasTimeoutErrorAndStartsColdNextTime() throws Exception {
        LocalFunction f = deploy("Sleepy", TestHandlers.SleepingHandler.class, Duration.ofMillis(250), Map.of());
        int interruptedBefore = TestHandlers.SleepingHandler.INTERRUPTED.get();
        long start = System.nanoTime();

        Invocation result = LAMBDA.invocation("Sleepy", "{}");

        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(result.failed());
        assertEquals("Unhandled", result.functionError());
        JsonNode error = json(result.payload());
        assertEquals("Sandbox.Timedout", error.path("errorType").asText());
        assertEquals("RequestId: " + result.requestId() + " Error: Task timed out after 0.25 seconds",
                error.path("errorMessage").asText());
        assertTrue(tookMillis >= 250 && tookMillis < 5_000, "returned after " + tookMillis + " ms");
        assertEquals(interruptedBefore + 1,
                io.conveyor.scenarios.Await.until("the handler thread to be interrupted", Duration.ofSeconds(5),
                        () -> TestHandlers.SleepingHandler.INTERRUPTED.get() > interruptedBefore
                                ? TestHandlers.SleepingHandler.INTERRUPTED.get() : null));

        Invocation next = LAMBDA.invocation("Sleepy", "{\"quick\": true}");
        assertEquals("\"done\"", next.payload());
        assertTrue(next.coldStart(), "a timed-out environment is not reused");
        assertEquals(2, f.coldStarts());
    }

    @Test
    void invoke_handlerThrows_returnsTheJavaRuntimesErrorDocument() throws Exception {
        deploy("Failing", TestHandlers.FailingHandler.class, Duration.ofSeconds(3), Map.of());

        Invocation result = LAMBDA.invocation("Failing", "{\"what\": \"odd\"}");

        assertEquals("Unhandled", result.functionError());
        JsonNode error = json(result.payload());
        assertEquals("java.lang.IllegalStateException", error.path("errorType").asText());
        assertEquals("the input was odd", error.path("errorMessage").asText());
        String top = error.path("stackTrace").get(0).asText();
        assertTrue(top.startsWith(TestHandlers.FailingHandler.class.getName() + ".handleRequest(TestHandlers.java:"), top);
        error.path("stackTrace").forEach(frame -> assertFalse(frame.asText().contains("io.conveyor.local.runtime.lambda.InProcessLambda"),
                "runtime frames are not the function's: " + frame));
        assertEquals("java.io.UncheckedIOException", error.path("cause").path("errorType").asText());
        assertEquals("java.io.IOException", error.path("cause").path("cause").path("errorType").asText());
        assertEquals("disk on fire", error.path("cause").path("cause").path("errorMessage").asText());
    }

    @Test
    void invoke_customException_errorTypeIsItsFullyQualifiedName() throws Exception {
        deploy("Declining", TestHandlers.DecliningHandler.class, Duration.ofSeconds(3), Map.of());

        LambdaInvoker.LambdaResponse response = LAMBDA.invoke("Declining", "{}");

        assertEquals("Unhandled", response.functionError());
        assertEquals("io.conveyor.local.runtime.lambda.TestHandlers$Declined",
                json(response.payload()).path("errorType").asText());
    }

    @Test
    void invoke_constructorFails_returnsItsErrorAndTriesAgainNextTime() throws Exception {
        LocalFunction f = deploy("Broken", TestHandlers.BrokenConstructorHandler.class, Duration.ofSeconds(3), Map.of());

        JsonNode first = json(LAMBDA.invocation("Broken", "{}").payload());
        JsonNode second = json(LAMBDA.invocation("Broken", "{}").payload());

        assertEquals("java.lang.IllegalArgumentException", first.path("errorType").asText());
        assertEquals("CONVEYOR_BUCKET is not set", first.path("errorMessage").asText());
        assertEquals(first, second);
        assertEquals(0, f.coldStarts());
    }

    @Test
    void invoke_handlerClassMissing_failsAsLambdasJavaRuntimeDoes() throws Exception {
        LocalFunction f = LAMBDA.deploy(new FunctionSpec("Missing", "io.conveyor.workflow.NoSuchHandler", 512,
                Duration.ofSeconds(3), List.of()), "arn:aws:lambda:us-east-1:000000000000:function:Missing", Map.of());

        JsonNode error = json(LAMBDA.invocation("Missing", "{}").payload());

        assertFalse(f.handlerPresent());
        assertEquals("java.lang.ClassNotFoundException", error.path("errorType").asText());
        assertEquals("Class not found: io.conveyor.workflow.NoSuchHandler", error.path("errorMessage").asText());
        assertTrue(LAMBDA.missingHandlers().contains("io.conveyor.workflow.NoSuchHandler"));
    }

    @Test
    void invoke_eventsAndRecords_areReadAndWrittenAsTheJavaRuntimeDoes() throws Exception {
        deploy("Scheduled", TestHandlers.ScheduledHandler.class, Duration.ofSeconds(3), Map.of());

        Invocation result = LAMBDA.invocation("Scheduled", "{\"version\":\"0\",\"id\":\"e1\",\"detail-type\":\"Scheduled Event\","
                + "\"source\":\"aws.events\",\"account\":\"000000000000\",\"time\":\"2026-01-02T03:04:05Z\","
                + "\"region\":\"us-east-1\",\"resources\":[\"arn:aws:events:us-east-1:000000000000:rule/R\"],\"detail\":{}}");

        assertFalse(result.failed(), result.payload());
        JsonNode seen = json(result.payload());
        assertEquals("Scheduled Event", seen.path("detailType").asText());
        assertEquals("aws.events", seen.path("source").asText());
        assertEquals(java.time.Instant.parse("2026-01-02T03:04:05Z").toEpochMilli(), seen.path("epochMillis").asLong());
        assertEquals("arn:aws:events:us-east-1:000000000000:rule/R", seen.path("resource").asText());
    }

    @Test
    void invoke_payloadNotOfTheInputType_isAJsonParsingError() throws Exception {
        deploy("Strict", TestHandlers.ContextHandler.class, Duration.ofSeconds(3), Map.of());

        JsonNode error = json(LAMBDA.invocation("Strict", "[1, 2").payload());

        assertEquals("java.lang.RuntimeException", error.path("errorType").asText());
        assertEquals("An error occurred during JSON parsing", error.path("errorMessage").asText());
    }

    @Test
    void invoke_concurrently_eachInvocationHasItsOwnExecutionEnvironment() throws Exception {
        LocalFunction f = deploy("Parallel", TestHandlers.SleepingHandler.class, Duration.ofMillis(400), Map.of());
        CountDownLatch started = new CountDownLatch(2);
        var a = CompletableFuture.supplyAsync(() -> { started.countDown(); return LAMBDA.invocation("Parallel", "{}"); });
        var b = CompletableFuture.supplyAsync(() -> { started.countDown(); return LAMBDA.invocation("Parallel", "{}"); });
        assertTrue(started.await(5, TimeUnit.SECONDS));

        a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);

        assertEquals(2, f.coldStarts(), "two overlapping invocations, two environments");
        assertEquals(2, f.invocations());
    }

    @Test
    void functionName_acceptsEveryFormLambdaAccepts() {
        assertEquals("Api", InProcessLambda.functionName("Api"));
        assertEquals("Api", InProcessLambda.functionName("Api:live"));
        assertEquals("Api", InProcessLambda.functionName("000000000000:function:Api"));
        assertEquals("Api", InProcessLambda.functionName("arn:aws:lambda:eu-west-1:000000000000:function:Api:7"));
        assertNull(LAMBDA.function("Nope").orElse(null));
    }
}
