package io.conveyor.local.runtime;

import io.conveyor.asl.LocalStepFunctions;
import io.conveyor.asl.engine.AwsActionListener;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.Definitions;
import io.conveyor.deployment.FunctionSpec;
import io.conveyor.deployment.RouteTable;
import io.conveyor.deployment.ScheduleSpec;
import io.conveyor.deployment.StateMachineSpec;
import io.conveyor.dynamodb.DynamoDbEmulator;
import io.conveyor.emulators.EmbeddedS3;
import io.conveyor.local.runtime.apigateway.ApiGateway;
import io.conveyor.local.runtime.apigateway.LocalAuthorizer;
import io.conveyor.local.runtime.apigateway.ProxyEvents;
import io.conveyor.local.runtime.dashboard.DashboardFiles;
import io.conveyor.local.runtime.events.EventBridgeEndpoint;
import io.conveyor.local.runtime.events.EventLog;
import io.conveyor.local.runtime.events.ExecutionRule;
import io.conveyor.local.runtime.events.ExecutionStatusEvents;
import io.conveyor.local.runtime.iam.Arns;
import io.conveyor.local.runtime.iam.IamCallRecording;
import io.conveyor.local.runtime.lambda.CommandFunction;
import io.conveyor.local.runtime.lambda.InProcessLambda;
import io.conveyor.local.runtime.lambda.LambdaInvokeEndpoint;
import io.conveyor.local.runtime.lambda.LocalMetrics;
import io.conveyor.local.runtime.schedule.ScheduleExpression;
import io.conveyor.local.runtime.schedule.Scheduler;
import io.conveyor.persistence.TableProvisioner;
import io.conveyor.program.ProgramRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The whole product on one machine, in this JVM: our DynamoDB emulator and S3Proxy (in memory, or on disk under a data
 * directory), the Step Functions engine behind its API endpoint with the catalogue's state machines, every
 * function of the catalogue invoked in-process ({@link InProcessLambda}, also over Lambda's Invoke API:
 * {@link LambdaInvokeEndpoint}), functions in other languages as commands, API Gateway's REST API over HTTP
 * ({@link ApiGateway}), an EventBridge endpoint that records what the product publishes ({@link EventLog}), the
 * engine's execution status changes on the default bus with the catalogue's rule on them ({@link ExecutionRule}) and
 * the catalogue's schedules ({@link Scheduler}). Everything binds 127.0.0.1.
 *
 * <p>The functions reach the services the way they do on AWS, through the SDK's standard endpoint configuration:
 * the runtime sets the JVM-wide system properties {@code aws.endpointUrl<Service>}, {@code aws.accessKeyId},
 * {@code aws.secretAccessKey} and {@code aws.region} (restored by {@link #close()}). That is why only one runtime may
 * run in a JVM at a time.
 *
 * <pre>{@code
 * try (LocalRuntime runtime = LocalRuntime.start(LocalRuntimeOptions.builder().timeScale(0.01).build())) {
 *   HttpRequest.newBuilder(runtime.apiEndpoint().resolve("/jobs")).header("Authorization", "Bearer alice")...
 * }
 * }</pre>
 */
public final class LocalRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRuntime.class);
    private static final AtomicReference<LocalRuntime> RUNNING = new AtomicReference<>();
    /** The local credentials: S3Proxy checks every signature against this key. */
    public static final String ACCESS_KEY = "conveyor";
    /**
     * How often the DynamoDB emulator deletes items past their TTL. DynamoDB itself deletes them some time after
     * they expire (typically within days), never on the second: the cleaner, not TTL, is what ends a job on time.
     */
    private static final Duration TTL_SWEEP_INTERVAL = Duration.ofMinutes(1);
    /**
     * The origins S3 answers browsers from: the dashboard, served on the API's loopback port, uploads inputs to S3's
     * port with the presigned URLs. S3 starts before the API picks its port, so any loopback port is allowed; the
     * presigned URL stays what grants an upload.
     */
    private static final List<String> DASHBOARD_ORIGINS = List.of("http://127\\.0\\.0\\.1:[0-9]+", "http://localhost:[0-9]+");
    public static final String SECRET_KEY = "conveyorlocal";
    /** The REST API's id and stage in the proxy events. */
    public static final String API_ID = "conveyorlocal";
    public static final String STAGE = "local";

    private final LocalRuntimeOptions options;
    private final LocalDeployment deployment;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, String> previousProperties = new HashMap<>();
    private final EventLog events = new EventLog();
    private DynamoDbEmulator dynamoDb;
    private EmbeddedS3 s3;
    private EventBridgeEndpoint eventBridge;
    private InProcessLambda lambda;
    private LambdaInvokeEndpoint lambdaEndpoint;
    private LocalStepFunctions stepFunctions;
    private Scheduler scheduler;
    private ExecutionRule executionEndedRule;
    private ApiGateway api;
    private IamCallRecording iamCalls;
    private DashboardFiles dashboard;
    private final List<String> stateMachines = new ArrayList<>();
    private Duration startupTime;
    private final Map<String, Long> stageMillis = new java.util.LinkedHashMap<>();
    private long stageStart;

    /** Notes how long the stage that just ended took, for the start-up report. */
    private void stage(String name) {
        long now = System.nanoTime();
        stageMillis.put(name, (now - stageStart) / 1_000_000);
        stageStart = now;
    }

    private LocalRuntime(LocalRuntimeOptions options) {
        this.options = options;
        this.deployment = new LocalDeployment(options.region());
    }

    /**
     * Starts everything and returns once the API answers.
     *
     * @throws IllegalStateException when another runtime runs in this JVM, or a part does not start (every part
     *                               started so far is stopped again)
     */
    public static LocalRuntime start(LocalRuntimeOptions options) {
        LocalRuntime runtime = new LocalRuntime(options);
        if (!RUNNING.compareAndSet(null, runtime)) {
            throw new IllegalStateException("A local runtime already runs in this JVM: the functions find the services "
                    + "through JVM-wide SDK settings, so close it before starting another");
        }
        try {
            runtime.startAll();
            return runtime;
        } catch (RuntimeException | Error e) {
            runtime.close();
            throw e;
        }
    }

    private void startAll() {
        long t0 = System.nanoTime();
        stageStart = t0;
        LocalMetrics.install();
        Path dir = options.dataDir().map(Path::toAbsolutePath).orElse(null);
        // Start-up steps that do not need each other run at once, on threads of their own: the common pool has one
        // thread on a two-core machine. Most of their time is class loading, which runs in parallel.
        ExecutorService startup = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "local-runtime-startup");
            thread.setDaemon(true);
            return thread;
        });
        try {
            startAll(t0, dir, startup);
        } finally {
            startup.shutdown();
        }
    }

    private void startAll(long t0, Path dir, ExecutorService startup) {
        CompletableFuture<DynamoDbEmulator> ddb = CompletableFuture.supplyAsync(() -> {
            DynamoDbEmulator.Builder emulator = DynamoDbEmulator.builder().clock(options.clock())
                    .ttlSweepInterval(TTL_SWEEP_INTERVAL);
            return (dir == null ? emulator : emulator.dataDirectory(dir.resolve("dynamodb"))).start();
        }, startup);
        CompletableFuture<EmbeddedS3> objects = CompletableFuture.supplyAsync(() -> dir == null
                ? EmbeddedS3.inMemory(ACCESS_KEY, SECRET_KEY, DASHBOARD_ORIGINS) : s3OnDisk(dir), startup);
        try {
            s3 = join(objects);
            resources.add(s3);
            dynamoDb = join(ddb);
            resources.add(dynamoDb);
        } finally {
            // Whichever started while the other failed is stopped too, before the start fails: otherwise it could
            // still be writing to the data directory when the caller deletes it.
            if (s3 == null) {
                closeOnceStarted(objects);
            }
            if (dynamoDb == null) {
                closeOnceStarted(ddb);
            }
        }
        stage("emulators");
        iamCalls = options.iamCallRecord().map(this::recordIamCalls).orElse(null);
        // The tables and the bucket are created while the engine starts and the functions deploy: none needs them
        // before the API takes its first request.
        CompletableFuture<Void> provisioned = CompletableFuture.runAsync(() -> provision(startup), startup);

        try {
            eventBridge = EventBridgeEndpoint.start(events, Set.of(Catalogue.EVENT_BUS), LocalDeployment.ACCOUNT,
                    options.region(), 0, options.clock());
        } catch (IOException e) {
            throw new UncheckedIOException("the EventBridge endpoint did not start", e);
        }
        resources.add(eventBridge);

        lambda = new InProcessLambda(InProcessLambda.class.getClassLoader(), options.accountConcurrency());
        resources.add(lambda);
        try {
            lambdaEndpoint = LambdaInvokeEndpoint.start(lambda, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("the Lambda endpoint did not start", e);
        }
        resources.add(lambdaEndpoint);
        stepFunctions = LocalStepFunctions.builder()
                .lambdaInvoker(lambda)
                .endpoint("dynamodb", dynamoDb.endpoint())
                .endpoint("s3", s3.endpoint())
                .endpoint("eventbridge", eventBridge.endpoint())
                .region(options.region())
                .account(LocalDeployment.ACCOUNT)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .clock(options.clock())
                .timeScale(options.timeScale())
                .executionListener(new ExecutionStatusEvents(events, LocalDeployment.ACCOUNT, options.region()))
                .dataDirectory(dir == null ? null : dir.resolve("stepfunctions"))
                .actionListener(iamCalls == null ? AwsActionListener.NONE : iamCalls.stateMachines())
                .listen("127.0.0.1", 0)
                .start();
        resources.add(stepFunctions);
        stage("engine");

        setSdkProperties();

        LocalDeployment.Endpoints endpoints = endpoints();
        // What the CDK stack's generated secret is on AWS: a random key, new each run (page tokens of an earlier run are
        // refused as any forged one), handed to the API in its in-process environment only, never printed.
        Map<String, String> pageTokenKey = Map.of(Catalogue.PAGE_TOKEN_KEY_SETTING, newPageTokenKey());
        for (FunctionSpec catalogued : Catalogue.FUNCTIONS) {
            Integer reserved = options.reservedConcurrency().get(catalogued.name());
            FunctionSpec function = reserved == null ? catalogued
                    : reserved == 0 ? new FunctionSpec(catalogued.name(), catalogued.handler(), catalogued.memoryMb(),
                            catalogued.timeout(), catalogued.access())
                    : catalogued.withReservedConcurrency(reserved);
            Map<String, String> environment = new LinkedHashMap<>(catalogued.equals(Catalogue.API) ? pageTokenKey : Map.of());
            environment.putAll(deployment.environment(function, endpoints, options.environment()));
            lambda.deploy(function, deployment.functionArn(function.name()), environment);
        }
        for (CommandFunction command : options.commandFunctions()) {
            lambda.deploy(new CommandFunction(command.name(), command.command(), command.timeout(),
                    deployment.commandEnvironment(command, endpoints)));
        }
        List<String> missing = lambda.missingHandlers();
        if (!missing.isEmpty()) {
            LOG.warn("handler classes not on the class path (their functions fail with ClassNotFoundException): {}", missing);
        }
        createStateMachines();
        executionEndedRule = ExecutionRule.attach(Catalogue.EXECUTION_ENDED_RULE,
                stateMachines.stream().map(deployment::stateMachineArn).collect(java.util.stream.Collectors.toSet()),
                events, lambda, options.timeScale());
        resources.add(executionEndedRule);
        stage("functions");
        join(provisioned);
        stage("tables");
        // Every function, table and state machine is there: the executions that were running go on.
        int resumed = stepFunctions.resume();
        if (resumed > 0) {
            LOG.info("resumed {} execution(s) from {}", resumed, dir.resolve("stepfunctions"));
        }

        scheduler = new Scheduler(lambda, LocalDeployment.ACCOUNT, options.region(), options.clock(), options.timeScale());
        resources.add(scheduler);
        if (options.schedules()) {
            for (ScheduleSpec schedule : Catalogue.SCHEDULES) {
                String expression = schedule.function().equals(Catalogue.CLEANER.name())
                        ? options.cleanerSchedule().orElse(schedule.expression()) : schedule.expression();
                scheduler.add(schedule.name(), ScheduleExpression.parse(expression), schedule.function(),
                        deployment.ruleArn(schedule.name()));
            }
        }

        dashboard = new DashboardFiles(LocalRuntime.class.getClassLoader(), s3.endpoint());
        try {
            api = ApiGateway.start(options.apiPort(), new RouteTable(Catalogue.ROUTES),
                    new LocalAuthorizer(options.region()), new ProxyEvents(API_ID, STAGE, LocalDeployment.ACCOUNT),
                    lambda, new RuntimeEndpoints(this, options.devOpen()), dashboard, options.clock());
        } catch (IOException e) {
            throw new UncheckedIOException("the API did not start on 127.0.0.1:" + options.apiPort()
                    + (options.apiPort() == 0 ? "" : " (is the port in use? choose another with --port)"), e);
        }
        resources.add(api);
        stage("api");
        startupTime = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info("local runtime ready in {} ms {}: API {}", startupTime.toMillis(), stageMillis, api.endpoint());
    }

    /** S3 on the data directory, on the port kept for it (a free one the first time, kept from then on). */
    private static EmbeddedS3 s3OnDisk(Path dir) {
        S3PortFile portFile = new S3PortFile(dir);
        int port = portFile.saved();
        EmbeddedS3 s3;
        try {
            s3 = EmbeddedS3.onDisk(dir.resolve("s3"), ACCESS_KEY, SECRET_KEY, port, DASHBOARD_ORIGINS);
        } catch (IllegalStateException e) {
            throw port == 0 ? e : new IllegalStateException(portFile.takenMessage(port), e);
        }
        if (port == 0) {
            portFile.save(s3.endpoint().getPort());
        }
        return s3;
    }

    /** 256 random bits as base64 text: the length of HMAC-SHA256's output. */
    private static String newPageTokenKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** Waits for a start that may still run and closes what it started; a start that failed left nothing open. */
    private static void closeOnceStarted(CompletableFuture<? extends AutoCloseable> start) {
        start.handle((started, failure) -> started).thenAccept(started -> {
            if (started != null) {
                try {
                    started.close();
                } catch (Exception e) {
                    LOG.warn("could not stop {} after the start failed", started, e);
                }
            }
        }).join();
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Records the AWS calls of the functions and state machines into {@code file}, in this deployment's names. */
    private IamCallRecording recordIamCalls(Path file) {
        Map<String, String> names = new java.util.TreeMap<>();
        deployment.resourceNames().forEach((resource, name) -> names.put(resource.name(), name));
        return IamCallRecording.start(file, new Arns(options.region(), LocalDeployment.ACCOUNT), names,
                options.environment().get(ProgramRegistry.SETTING));
    }

    /** The SDK settings every function's clients read: the local endpoints, credentials and region. */
    private void setSdkProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("aws.endpointUrlDynamoDb", dynamoDb.endpoint().toString());
        properties.put("aws.endpointUrlS3", s3.endpoint().toString());
        properties.put("aws.endpointUrlSfn", stepFunctions.endpoint().toString());
        properties.put("aws.endpointUrlEventBridge", eventBridge.endpoint().toString());
        properties.put("aws.endpointUrlLambda", lambdaEndpoint.endpoint().toString());
        properties.put("aws.accessKeyId", ACCESS_KEY);
        properties.put("aws.secretAccessKey", SECRET_KEY);
        properties.put("aws.region", options.region());
        properties.forEach((name, value) -> {
            previousProperties.put(name, System.getProperty(name));
            System.setProperty(name, value);
        });
    }

    private void restoreSdkProperties() {
        previousProperties.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
        previousProperties.clear();
    }

    /** The catalogue's tables and the bucket, as CloudFormation would create them; existing ones are kept. */
    private void provision(ExecutorService startup) {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
        try (SdkHttpClient http = UrlConnectionHttpClient.builder().build();
             DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(dynamoDb.endpoint())
                     .region(Region.of(options.region())).credentialsProvider(credentials).httpClient(http).build();
             S3Client s3Client = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true)
                     .region(Region.of(options.region())).credentialsProvider(credentials).httpClient(http).build()) {
            TableProvisioner tables = new TableProvisioner(ddb);
            List<CompletableFuture<Void>> creating = Catalogue.TABLES.stream()
                    .map(table -> CompletableFuture.runAsync(() -> {
                        long t = System.nanoTime();
                        tables.create(table, deployment.tableName(table));
                        LOG.debug("table {} ready in {} ms", deployment.tableName(table), (System.nanoTime() - t) / 1_000_000);
                    }, startup))
                    .toList();
            creating.forEach(LocalRuntime::join);
            try {
                s3Client.headBucket(b -> b.bucket(LocalDeployment.BUCKET));
            } catch (NoSuchBucketException e) {
                try {
                    s3Client.createBucket(b -> b.bucket(LocalDeployment.BUCKET));
                } catch (BucketAlreadyOwnedByYouException alreadyThere) {
                    // Created meanwhile: fine.
                }
            }
        }
    }

    /** One job state machine per program, from the same definition file and substitutions as the CDK stack. */
    private void createStateMachines() {
        ProgramRegistry programs = ProgramRegistry.from(options.environment());
        for (StateMachineSpec machine : Catalogue.stateMachines(programs)) {
            if (getClass().getClassLoader().getResource(machine.definition()) == null) {
                LOG.warn("state machine {} not created: its definition {} is not on the class path yet; jobs can be "
                        + "created but not run", machine.name(), machine.definition());
                continue;
            }
            String definition = Definitions.render(machine, deployment::functionArn);
            stepFunctions.service().register(machine.name(), definition, "STANDARD");
            stateMachines.add(machine.name());
        }
    }

    /** The API's base URL, {@code http://127.0.0.1:PORT}. */
    public URI apiEndpoint() {
        return api.endpoint();
    }

    /**
     * The web dashboard's address on the API's port, empty when its files are not on the class path (the dashboard
     * module was not built).
     */
    public Optional<URI> dashboardAddress() {
        return dashboard.present() ? Optional.of(api.endpoint().resolve(DashboardFiles.PATH)) : Optional.empty();
    }

    public LocalDeployment.Endpoints endpoints() {
        return new LocalDeployment.Endpoints(dynamoDb.endpoint(), s3.endpoint(), stepFunctions.endpoint(),
                eventBridge.endpoint(), lambdaEndpoint.endpoint());
    }

    public LocalDeployment deployment() {
        return deployment;
    }

    public LocalRuntimeOptions options() {
        return options;
    }

    /** The events the product published, and the job workflows' execution status changes on the default bus. */
    public EventLog events() {
        return events;
    }

    /** The in-process functions. */
    public InProcessLambda lambda() {
        return lambda;
    }

    public LocalStepFunctions stepFunctions() {
        return stepFunctions;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** The catalogue's rule on the job workflows' abnormal ends ({@code Catalogue.EXECUTION_ENDED_RULE}). */
    public ExecutionRule executionEndedRule() {
        return executionEndedRule;
    }

    /** The names of the state machines created (none until the workflow's definition is on the class path). */
    public List<String> stateMachines() {
        return List.copyOf(stateMachines);
    }

    /** From the start of {@link #start} until the API answered. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Stops everything, newest first, and restores the JVM's SDK settings. */
    @Override
    public void close() {
        long start = System.nanoTime();
        Map<String, Long> took = new java.util.LinkedHashMap<>();
        for (int i = resources.size() - 1; i >= 0; i--) {
            long t = System.nanoTime();
            String name = resources.get(i).getClass().getSimpleName();
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("{} did not stop cleanly: {}", name, e.toString());
            }
            took.put(name, (System.nanoTime() - t) / 1_000_000);
        }
        if (!took.isEmpty()) {
            LOG.info("local runtime stopped in {} ms {}", (System.nanoTime() - start) / 1_000_000, took);
        }
        resources.clear();
        if (iamCalls != null) {
            iamCalls.stop();
            iamCalls = null;
        }
        restoreSdkProperties();
        RUNNING.compareAndSet(this, null);
    }
}
