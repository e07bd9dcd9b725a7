package io.conveyor.local.runtime.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import io.conveyor.aws.AwsHttpService;
import io.conveyor.programs.DeclaredInput;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import io.conveyor.program.ProgramDefinition;
import io.conveyor.program.ReRegistrationPolicy;
import io.conveyor.program.RetryPolicy;
import io.conveyor.programs.JobInputs;
import io.conveyor.programs.SubJobDeclinedException;
import io.conveyor.programs.SubJobOutputs;
import io.conveyor.programs.lambda.LambdaProgram;
import io.conveyor.programs.lambda.ProgramFunctionException;
import io.conveyor.storage.JobObjectLayout;
import io.conveyor.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link LambdaProgram}, the adapter for programs written as Lambda functions, against the local runtime's Lambda
 * endpoint: Lambda's Invoke through {@link AwsHttpService}, configured only by the standard SDK settings the runtime sets, a Node.js function
 * ({@code programs/contract-probe.js}) run as a command, and the runtime's S3 for inputs, outputs and presigned URLs.
 */
class LambdaProgramTest {
    private static final String PROBE = "contract-probe";
    private static final String JOB = "job-42";

    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(LocalRuntimeOptions.builder()
            .schedules(false)
            .commandFunction(PROBE, Duration.ofSeconds(3), List.of("node", resource("/programs/contract-probe.js").toString()))
            .build());

    private static AwsHttpService lambda;
    private static S3Client s3;
    private static S3Presigner presigner;
    private static ObjectStore objects;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void clients() {
        LocalRuntime runtime = RUNTIME.runtime();
        // Nothing but the SDK's standard configuration, which the runtime set: the endpoint, region and credentials.
        lambda = new AwsHttpService(AwsHttpService.Service.LAMBDA, new DefaultAwsRegionProviderChain().getRegion(),
                DefaultCredentialsProvider.builder().build(), UrlConnectionHttpClient.create(), AwsRetryStrategy.defaultRetryStrategy());
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalRuntime.ACCESS_KEY, LocalRuntime.SECRET_KEY));
        s3 = S3Client.builder().endpointOverride(runtime.endpoints().s3()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        presigner = S3Presigner.builder().endpointOverride(runtime.endpoints().s3()).region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
        objects = new ObjectStore(s3, presigner, io.conveyor.local.runtime.LocalDeployment.BUCKET, Clock.systemUTC());
        objects.put(JobObjectLayout.input(JOB, "a.txt"), "alpha beta".getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    @AfterAll
    static void close() {
        s3.close();
        presigner.close();
    }

    @Test
    void split_sendsTheVersionedContract_andTheJobWithEachInputReadableByUrl() throws Exception {
        JsonNode event = program(PROBE).split(job(Map.of("probe", "echo", "top", "3"))).get(0);
        assertEquals(LambdaProgram.CONTRACT, event.path("contract").asText());
        assertEquals("split", event.path("operation").asText());
        JsonNode job = event.path("job");
        assertEquals(JOB, job.path("id").asText());
        assertEquals("probe-program", job.path("program").asText());
        assertEquals(2, job.path("attempt").asInt());
        assertEquals("3", job.path("parameters").path("top").asText());
        JsonNode input = job.path("inputs").get(0);
        assertEquals("a.txt", input.path("name").asText());
        assertEquals(10, input.path("size").asLong());
        assertEquals("text/plain", input.path("contentType").asText());
        assertEquals("f0a1", input.path("sha256").asText());
        assertEquals(io.conveyor.local.runtime.LocalDeployment.BUCKET, input.path("bucket").asText());
        assertEquals(JobObjectLayout.input(JOB, "a.txt"), input.path("key").asText());
        assertTrue(input.path("urlExpiresAt").isTextual());
        assertEquals("alpha beta", get(input.path("url").asText()), "the presigned GET reads the input without credentials");
    }

    @Test
    void work_sendsTheSubjobsIndexAndInput_andReturnsTheOutput() throws IOException {
        JsonNode subJobInput = JsonNodeFactory.instance.objectNode().put("file", "a.txt").put("from", 0);
        JsonNode event = program(PROBE).work(7, subJobInput, job(Map.of("probe", "echo")));
        assertEquals("work", event.path("operation").asText());
        assertEquals(7, event.path("subJob").path("index").asInt());
        assertEquals(subJobInput, event.path("subJob").path("input"));
    }

    @Test
    void aggregate_writesTheOutputsInSubjobOrderAsJsonLines_andSendsWhereTheyAre() throws Exception {
        Map<Integer, JsonNode> outputs = new LinkedHashMap<>();
        for (int index : new int[] {0, 2, 5}) {
            outputs.put(index, JsonNodeFactory.instance.objectNode().put("words", index * 10));
        }
        JsonNode event = program(PROBE).aggregate(outputs(outputs), job(Map.of("probe", "echo")));
        assertEquals("aggregate", event.path("operation").asText());
        JsonNode where = event.path("outputs");
        assertEquals(3, where.path("count").asInt());
        assertEquals("jsonl", where.path("format").asText());
        assertEquals(JobObjectLayout.collectedOutputs(JOB, 2), where.path("key").asText());
        assertEquals("""
                {"index":0,"output":{"words":0}}
                {"index":2,"output":{"words":20}}
                {"index":5,"output":{"words":50}}
                """, get(where.path("url").asText()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "SubJob.Declined, io.conveyor.programs.SubJobDeclinedException",
            "SubJobDeclined, io.conveyor.programs.SubJobDeclinedException",
            "SubJob.ResultRejected, io.conveyor.programs.ResultRejectedException",
            "SubJobResultRejected, io.conveyor.programs.ResultRejectedException",
            "Program.InvalidParameters, io.conveyor.programs.InvalidParametersException",
            "ProgramInvalidParameters, io.conveyor.programs.InvalidParametersException"})
    void contractErrorTypes_becomeTheJavaProgramsExceptions_withTheFunctionsMessage(String errorType, Class<?> expected) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> program(PROBE).work(0,
                JsonNodeFactory.instance.nullNode(), job(Map.of("probe", "error", "errorType", errorType, "errorMessage", "busy"))));
        assertInstanceOf(expected, e);
        assertEquals("busy", e.getMessage());
    }

    @Test
    void anyOtherFunctionError_isPermanent_andSaysWhichFunctionFailedHow() {
        ProgramFunctionException e = assertThrows(ProgramFunctionException.class, () -> program(PROBE).split(
                job(Map.of("probe", "error", "errorType", "TypeError", "errorMessage", "x is undefined"))));
        assertEquals("the splitter function contract-probe of program probe-program failed with TypeError: x is undefined",
                e.getMessage());
        e = assertThrows(ProgramFunctionException.class, () -> program(PROBE).split(job(Map.of("probe", "exit"))));
        assertTrue(e.getMessage().contains("failed with Runtime.ExitError: RequestId: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("Error: Runtime exited with error: exit status 3"), e.getMessage());
    }

    @Test
    void aFunctionThatRunsOutOfTime_isRetryable_asAJavaWorkerPastItsTimeoutIs() {
        SubJobDeclinedException e = assertThrows(SubJobDeclinedException.class,
                () -> program(PROBE).split(job(Map.of("probe", "sleep"))));
        assertTrue(e.getMessage().startsWith("the splitter function contract-probe of program probe-program ran out of "
                + "time (worth another try): RequestId: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("Task timed out after 3.00 seconds"), e.getMessage());
    }

    @Test
    void answersOutsideTheContract_arePermanent_andSayWhatToAnswer() {
        ProgramFunctionException e = assertThrows(ProgramFunctionException.class,
                () -> program(PROBE).split(job(Map.of("probe", "wrongShape"))));
        assertEquals("the splitter function contract-probe of program probe-program answered the split operation with "
                + "JSON that conveyor.program/1 does not allow: it must answer {\"subJobs\": [<subjob input>, ...]}", e.getMessage());
        e = assertThrows(ProgramFunctionException.class, () -> program(PROBE).aggregate(outputs(Map.of()),
                job(Map.of("probe", "wrongShape"))));
        assertTrue(e.getMessage().endsWith("it must answer {\"result\": <JSON>}"), e.getMessage());
        e = assertThrows(ProgramFunctionException.class, () -> program(PROBE).split(job(Map.of("probe", "notJson"))));
        assertTrue(e.getMessage().contains("Runtime.InvalidResponse"), e.getMessage());
    }

    @Test
    void aFunctionThatDoesNotExist_isPermanent_withLambdasReason() {
        ProgramFunctionException e = assertThrows(ProgramFunctionException.class,
                () -> program("no-such-function").split(job(Map.of())));
        assertTrue(e.getMessage().startsWith("Lambda refused to invoke the splitter function no-such-function of program "
                + "probe-program: ResourceNotFoundException: Function not found: no-such-function"), e.getMessage());
    }

    /** Lambda's throttling and service errors, from a stand-in answering as Lambda does, and an unreachable endpoint. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"429, TooManyRequestsException", "500, ServiceException", "502, EC2UnexpectedException"})
    void throttlingAndServiceErrors_areRetryable(int status, String errorType) throws IOException {
        HttpServer lambdaService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        lambdaService.createContext("/", exchange -> {
            byte[] body = ("{\"Type\":\"Service\",\"Message\":\"Rate exceeded\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        lambdaService.start();
        try {
            AwsHttpService throttled = service(lambdaService.getAddress().getPort());
            SubJobDeclinedException e = assertThrows(SubJobDeclinedException.class, () -> new LambdaProgram(
                    definition(PROBE), throttled, objects).work(0, JsonNodeFactory.instance.nullNode(), job(Map.of())));
            assertTrue(e.getMessage().contains(errorType + ": Rate exceeded (worth another try)"), e.getMessage());
        } finally {
            lambdaService.stop(0);
        }
        int closedPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        AwsHttpService unreachable = service(closedPort);
        SubJobDeclinedException e = assertThrows(SubJobDeclinedException.class, () -> new LambdaProgram(
                definition(PROBE), unreachable, objects).work(0, JsonNodeFactory.instance.nullNode(), job(Map.of())));
        assertTrue(e.getMessage().startsWith("invoking the worker function contract-probe of program probe-program "
                + "failed, worth another try"), e.getMessage());
    }

    /** Lambda on a local port, not retried (a retry would only slow the test down). */
    private static AwsHttpService service(int port) {
        return new AwsHttpService(AwsHttpService.Service.LAMBDA, Region.US_EAST_1, DefaultCredentialsProvider.builder().build(),
                UrlConnectionHttpClient.create(), AwsRetryStrategy.doNotRetry()).withEndpoint(URI.create("http://127.0.0.1:" + port));
    }

    private static LambdaProgram program(String function) {
        return new LambdaProgram(definition(function), lambda, objects);
    }

    private static ProgramDefinition definition(String function) {
        String named = "lambda:" + function;
        return new ProgramDefinition("probe-program", named, named, named, 4, RetryPolicy.DEFAULT,
                ReRegistrationPolicy.DEFAULT, 0, Duration.ofSeconds(30), Duration.ofDays(1));
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static Path resource(String name) {
        try {
            return Path.of(LambdaProgramTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The second attempt of a job with one input, a.txt, in the runtime's bucket. */
    private static JobInputs job(Map<String, String> parameters) {
        return new JobInputs() {
            @Override
            public String jobId() {
                return JOB;
            }

            @Override
            public int attempt() {
                return 2;
            }

            @Override
            public Map<String, String> parameters() {
                return parameters;
            }

            @Override
            public List<DeclaredInput> inputs() {
                return List.of(new DeclaredInput("a.txt", 10, "text/plain", "f0a1"));
            }

            @Override
            public InputStream open(String name) {
                return objects.open(JobObjectLayout.input(JOB, name));
            }

            @Override
            public InputStream openRange(String name, long from, long to) {
                return objects.openRange(JobObjectLayout.input(JOB, name), from, to);
            }
        };
    }

    private static SubJobOutputs outputs(Map<Integer, JsonNode> outputs) {
        return new SubJobOutputs() {
            @Override
            public int count() {
                return outputs.size();
            }

            @Override
            public void forEach(OutputConsumer consumer) throws IOException {
                for (Map.Entry<Integer, JsonNode> e : outputs.entrySet()) {
                    consumer.accept(e.getKey(), e.getValue());
                }
            }
        };
    }
}
