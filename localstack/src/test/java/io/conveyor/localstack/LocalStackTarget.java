package io.conveyor.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.Resource;
import io.conveyor.scenarios.Await;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.scenarios.ScenarioTarget;
import io.conveyor.persistence.TableSpec;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The scenarios' target on LocalStack: the image of {@code .env} in a container ({@link LocalStackContainer}, with
 * the settings of {@code localstack.env}), the CDK stack deployed to it by {@code deploy.sh}, and the job API at the
 * URL the script prints. One container and one deployment per test JVM, started by the first scenario that needs it
 * and shared by every class of the suite (a deployment takes minutes); Testcontainers removes the container, and the
 * Lambda containers LocalStack started, when the JVM ends.
 *
 * <p>The product's events are read back through a queue the suite subscribes to the job event bus, as any consumer
 * of {@code JobStatusChanged} would.
 */
final class LocalStackTarget implements ScenarioTarget {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStackTarget.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** LocalStack's account, and the region deploy.sh deploys to. */
    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";
    /** The CDK bootstrap and the whole stack (tables, bucket, functions and their versions, state machines, API). */
    private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration API_READY_TIMEOUT = Duration.ofMinutes(5);

    private static LocalStackTarget shared;
    /** Why the deployment failed, kept so that the other scenarios fail at once instead of deploying again. */
    private static RuntimeException failedStart;

    private final LocalStackContainer container;
    private final URI endpoint;
    private final URI api;
    private final JsonNode outputs;
    private final String eventQueueUrl;
    private final List<String> events = new ArrayList<>();

    private LocalStackTarget(LocalStackContainer container, URI api, JsonNode outputs) {
        this.container = container;
        this.endpoint = container.getEndpoint();
        this.api = api;
        this.outputs = outputs;
        this.eventQueueUrl = subscribeToJobEvents();
    }

    /** The JVM's LocalStack deployment, started on first use. */
    static synchronized LocalStackTarget shared() {
        if (failedStart != null) {
            throw new IllegalStateException("the LocalStack deployment failed earlier in this JVM", failedStart);
        }
        if (shared == null) {
            try {
                shared = start();
            } catch (RuntimeException e) {
                failedStart = e;
                throw e;
            }
        }
        return shared;
    }

    private static LocalStackTarget start() {
        Path dir = Path.of(System.getProperty("conveyor.localstack.dir", ".")).toAbsolutePath();
        String image = settings(dir.resolve(".env")).get("LOCALSTACK_IMAGE");
        if (image == null) {
            throw new IllegalStateException(dir.resolve(".env") + " names no LOCALSTACK_IMAGE");
        }
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(image)
                .asCompatibleSubstituteFor("localstack/localstack"));
        settings(dir.resolve("localstack.env")).forEach(container::withEnv);
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token != null && !token.isBlank()) {
            container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        container.withStartupTimeout(Duration.ofMinutes(3));
        long t0 = System.nanoTime();
        container.start();
        LOG.info("{} ready at {} after {} s", image, container.getEndpoint(), seconds(t0));

        Path outputsFile = dir.resolve("target/localstack-outputs.json");
        URI api = deploy(dir, container.getEndpoint(), outputsFile);
        JsonNode outputs;
        try {
            outputs = JSON.readTree(outputsFile.toFile()).path("Conveyor");
        } catch (IOException e) {
            throw new UncheckedIOException("deploy.sh wrote no readable outputs to " + outputsFile, e);
        }
        LOG.info("the stack is deployed after {} s; the job API is {}", seconds(t0), api);
        LocalStackTarget target = new LocalStackTarget(container, api, outputs);
        target.awaitApi();
        LOG.info("the job API answers after {} s", seconds(t0));
        return target;
    }

    /** Runs deploy.sh against {@code endpoint}; returns the API URL it prints last. */
    private static URI deploy(Path dir, URI endpoint, Path outputsFile) {
        Path log = dir.resolve("target/localstack-deploy.log");
        Path printed = dir.resolve("target/localstack-deploy.out");
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder deploy = new ProcessBuilder("sh", dir.resolve("deploy.sh").toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(printed.toFile())
                    .redirectError(log.toFile());
            deploy.environment().put("LOCALSTACK_ENDPOINT", endpoint.toString());
            deploy.environment().put("CONVEYOR_OUTPUTS_FILE", outputsFile.toString());
            Process process = deploy.start();
            if (!process.waitFor(DEPLOY_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("deploy.sh took longer than " + DEPLOY_TIMEOUT + "; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("deploy.sh failed with exit status " + process.exitValue() + "; see "
                        + log + ":\n" + tail(log, 40));
            }
            List<String> lines = Files.readAllLines(printed).stream().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) {
                throw new IllegalStateException("deploy.sh printed no API URL; see " + log);
            }
            return URI.create(lines.get(lines.size() - 1).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("running deploy.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deploying", e);
        }
    }

    /** The first call of each function starts its container (and, the first time, pulls the Java runtime image). */
    private void awaitApi() {
        JobApiClient client = api("warm-up");
        Await.until("the job API at " + api + " to answer GET /programs with 200", API_READY_TIMEOUT, () -> {
            try {
                return client.get("/programs").status() == 200;
            } catch (UncheckedIOException e) {
                return false; // not listening yet
            }
        });
    }

    @Override
    public JobApiClient api(String user) {
        return new JobApiClient(api, user, this::reachable);
    }

    /**
     * A URL the functions handed out, reachable from this machine: the functions see LocalStack at the address
     * LocalStack gives Lambda containers, the suite reaches it through the container's mapped port. S3 URLs are
     * path-style (the functions have an endpoint override), so only the scheme, host and port change; LocalStack
     * does not check presigned signatures ({@code S3_SKIP_SIGNATURE_VALIDATION=1}), which cover the host.
     */
    private URI reachable(URI url) {
        return reachable(endpoint, url);
    }

    static URI reachable(URI endpoint, URI url) {
        return URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + url.getRawPath()
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }

    @Override
    public Optional<String> lacks(Capability capability) {
        return Optional.of(switch (capability) {
            case SCENARIO_PROGRAMS -> "ScenarioProgram is a test class, not in the deployed functions jar, and it counts "
                    + "invocations in one JVM, while LocalStack runs each function in containers of its own";
            case ONE_JOB_PER_PROGRAM -> "the suite deploys the stack once, with the default quotas "
                    + "(conveyor:maxActiveJobsPerProgram=10), for every scenario class";
            case RESTART_ON_SAME_DATA -> "LocalStack's free image keeps no state across a restart (persistence is a paid "
                    + "feature)";
            case NODE_PROGRAM_FUNCTION -> "the Node.js program runs as a command of the local runtime; the suite's stack "
                    + "neither deploys it as a nodejs20.x function nor registers the program that names it";
            case EXECUTION_STATUS_EVENTS -> "whether LocalStack's Step Functions puts execution status changes on the "
                    + "default bus for its EventBridge rules has not been checked (no Docker engine where this was written)";
        });
    }

    @Override
    public void restart() {
        throw new UnsupportedOperationException("LocalStack lacks " + Capability.RESTART_ON_SAME_DATA + ": "
                + lacks(Capability.RESTART_ON_SAME_DATA).orElseThrow());
    }

    /** Invokes the cleaner's {@code live} alias with the event its schedule's rule sends, and waits for the result. */
    @Override
    public void runCleaner() {
        try (LambdaClient lambda = LambdaClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(credentials())
                // A cold Java function in a fresh container: longer than the client's 30 s default read timeout.
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(5)).build())
                .build();
             EventBridgeClient events = EventBridgeClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(httpClient()).build()) {
            String description = "Conveyor " + Catalogue.CLEANER.name() + " (";
            FunctionConfiguration cleaner = lambda.listFunctionsPaginator().functions().stream()
                    .filter(f -> f.description() != null && f.description().startsWith(description))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no function described as '" + description + "...' deployed"));
            String alias = cleaner.functionArn() + ":live";
            List<String> rules = events.listRuleNamesByTarget(b -> b.targetArn(alias)).ruleNames();
            if (rules.size() != 1) {
                throw new AssertionError("expected one schedule rule invoking " + alias + ", found " + rules);
            }
            String ruleArn = events.describeRule(b -> b.name(rules.get(0))).arn();

            ObjectNode event = JSON.createObjectNode();
            event.put("version", "0");
            event.put("id", UUID.randomUUID().toString());
            event.put("detail-type", "Scheduled Event");
            event.put("source", "aws.events");
            event.put("account", ACCOUNT);
            event.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            event.put("region", REGION);
            event.putArray("resources").add(ruleArn);
            event.putObject("detail");
            InvokeResponse run = lambda.invoke(b -> b.functionName(cleaner.functionName()).qualifier("live")
                    .payload(SdkBytes.fromUtf8String(event.toString())));
            if (run.functionError() != null) {
                throw new AssertionError("the cleaner's run failed: " + run.payload().asUtf8String());
            }
        }
    }

    /** A queue on the job event bus, for every event the product publishes there. */
    private String subscribeToJobEvents() {
        try (SqsClient sqs = sqs();
             EventBridgeClient events = EventBridgeClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(httpClient()).build()) {
            String queueUrl = sqs.createQueue(b -> b.queueName("conveyor-scenario-events")).queueUrl();
            String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String bus = outputs.path("EventBusName").asText();
            events.putRule(b -> b.name("conveyor-scenario-events").eventBusName(bus)
                    .eventPattern("{\"source\": [\"" + Catalogue.EVENT_SOURCE + "\"]}"));
            events.putTargets(b -> b.rule("conveyor-scenario-events").eventBusName(bus)
                    .targets(Target.builder().id("scenario-events").arn(queueArn).build()));
            return queueUrl;
        }
    }

    @Override
    public void awaitEventAbout(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SqsClient sqs = sqs()) {
            while (true) {
                synchronized (events) {
                    if (events.stream().anyMatch(e -> e.contains(jobId))) {
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("no event about " + jobId + " within " + timeout + "; events: " + events);
                    }
                    for (Message m : sqs.receiveMessage(b -> b.queueUrl(eventQueueUrl).maxNumberOfMessages(10)
                            .waitTimeSeconds(1)).messages()) {
                        events.add(m.body());
                        sqs.deleteMessage(b -> b.queueUrl(eventQueueUrl).receiptHandle(m.receiptHandle()));
                    }
                }
            }
        }
    }

    @Override
    public String physicalName(Resource resource) {
        Map<Resource, String> outputKeys = new EnumMap<>(Resource.class);
        for (TableSpec table : Catalogue.TABLES) {
            outputKeys.put(Resource.of(table), table.logicalName() + "TableName");
        }
        outputKeys.put(Resource.BUCKET, "BucketName");
        outputKeys.put(Resource.EVENT_BUS, "EventBusName");
        String key = outputKeys.get(resource);
        if (key == null || !outputs.hasNonNull(key)) {
            throw new IllegalArgumentException("the stack's outputs name no " + resource);
        }
        return outputs.get(key).asText();
    }

    @Override
    public String stateMachineArn(String name) {
        return "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + name;
    }

    @Override
    public DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(httpClient()).build();
    }

    @Override
    public S3Client s3() {
        return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(httpClient()).build();
    }

    @Override
    public SfnClient stepFunctions() {
        return SfnClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(httpClient()).build();
    }

    private SqsClient sqs() {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(httpClient()).build();
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(container.getAccessKey(), container.getSecretKey()));
    }

    private static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.create();
    }

    /** {@code KEY=VALUE} lines, as docker compose reads {@code .env} and {@code env_file}: no quotes, # comments. */
    static Map<String, String> settings(Path file) {
        try {
            Map<String, String> settings = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file)) {
                String l = line.trim();
                int eq = l.indexOf('=');
                if (!l.isEmpty() && !l.startsWith("#") && eq > 0) {
                    settings.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
                }
            }
            return settings;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static long seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000_000;
    }

    @Override
    public String toString() {
        return "LocalStack (" + container.getDockerImageName() + ")";
    }
}
