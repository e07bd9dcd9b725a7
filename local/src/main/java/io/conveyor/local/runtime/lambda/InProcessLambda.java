package io.conveyor.local.runtime.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.config.FunctionEnvironment;
import io.conveyor.deployment.FunctionSpec;
import io.conveyor.asl.task.LambdaInvoker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda, in this JVM: invokes the catalogue's handler classes with their environment, memory and timeout, as the
 * Java runtime would (see {@link HandlerAdapter}), and answers as Lambda's Invoke API does: a function error is a
 * response carrying Lambda's error document, never an exception. An invocation still running at its timeout is
 * interrupted, its execution environment discarded, and answered with {@link LambdaErrors#timeout}.
 *
 * <p>Functions written in other languages run as a process per invocation ({@link CommandFunction}).
 *
 * <p>It is the Step Functions engine's {@link LambdaInvoker}, and the API Gateway emulation, the scheduler and the Lambda
 * Invoke endpoint ({@link LambdaInvokeEndpoint}) call it too. Thread-safe. Memory is reported in the {@code Context} but not enforced: every function shares this JVM's heap.
 *
 * <p>Lambda's concurrency limits hold ({@link ConcurrencyLimits}): a function's reserved concurrency from its
 * {@link FunctionSpec}, and the account's limit for the rest; an invocation over them is throttled
 * ({@code TooManyRequestsException}), counted ({@link #throttles}) and logged.
 */
public final class InProcessLambda implements LambdaInvoker, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessLambda.class);

    private final Map<String, LocalFunction> functions = new ConcurrentHashMap<>();
    private final Map<String, CommandFunction> commands = new ConcurrentHashMap<>();
    private final ExecutorService threads;
    private final ClassLoader loader;
    private final ConcurrencyLimits limits;
    private final Map<String, AtomicInteger> throttles = new ConcurrentHashMap<>();

    public InProcessLambda() {
        this(InProcessLambda.class.getClassLoader());
    }

    /** With the account's default limit of {@value ConcurrencyLimits#DEFAULT_ACCOUNT_LIMIT} concurrent executions. */
    public InProcessLambda(ClassLoader loader) {
        this(loader, ConcurrencyLimits.DEFAULT_ACCOUNT_LIMIT);
    }

    /** @param accountConcurrency the account's limit of concurrent executions, at least 1 */
    public InProcessLambda(ClassLoader loader, int accountConcurrency) {
        this.loader = loader;
        this.limits = new ConcurrencyLimits(accountConcurrency);
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lambda-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Deploys {@code spec} under {@code arn} with {@code environment}; its handler class is loaded at its first
     * invocation. Replaces a function of the same name.
     *
     * @throws IllegalArgumentException when its reserved concurrency takes the reservations over the account's limit
     */
    public LocalFunction deploy(FunctionSpec spec, String arn, Map<String, String> environment) {
        limits.reserve(spec.name(), spec.reservedConcurrency().orElse(0));
        LocalFunction function = new LocalFunction(spec, arn, environment, loader);
        functions.put(spec.name(), function);
        return function;
    }

    /**
     * Deploys a function written in another language, run as a process per invocation; replaces a command function
     * of the same name.
     *
     * @throws IllegalArgumentException when a catalogue function has that name
     */
    public void deploy(CommandFunction command) {
        if (functions.containsKey(command.name())) {
            throw new IllegalArgumentException("function " + command.name() + " is one of the catalogue's; give the "
                    + "program's function another name");
        }
        commands.put(command.name(), command);
    }

    /** The functions written in other languages, run as commands. */
    public Collection<CommandFunction> commands() {
        return List.copyOf(commands.values());
    }

    /** Whether a function of that name, {@code name:qualifier} or ARN is deployed, in the catalogue or as a command. */
    public boolean deployed(String nameOrArn) {
        String name = functionName(nameOrArn);
        return functions.containsKey(name) || commands.containsKey(name);
    }

    public Optional<LocalFunction> function(String nameOrArn) {
        return Optional.ofNullable(functions.get(functionName(nameOrArn)));
    }

    public Collection<LocalFunction> functions() {
        return List.copyOf(functions.values());
    }

    /** The functions whose handler class is not on the class path (yet). */
    public List<String> missingHandlers() {
        return functions.values().stream().filter(f -> !f.handlerPresent()).map(f -> f.spec().handler()).sorted().toList();
    }

    /** The account's limits, and what runs now. */
    public ConcurrencyLimits limits() {
        return limits;
    }

    /** How many invocations of the function named {@code name} were throttled. */
    public int throttles(String name) {
        AtomicInteger n = throttles.get(name);
        return n == null ? 0 : n.get();
    }

    /** {@link LambdaInvoker}: the engine's view of {@link #invocation}. */
    @Override
    public LambdaResponse invoke(String functionName, String payload) {
        Invocation result = invocation(functionName, payload);
        return new LambdaResponse(result.payload(), result.functionError(), "$LATEST");
    }

    /**
     * Invokes a function synchronously (RequestResponse).
     *
     * @param nameOrArn a function name, or its full or partial ARN, optionally qualified ({@code :$LATEST})
     * @param payload   the event, JSON text
     * @throws LambdaServiceException {@code ResourceNotFoundException} when no such function is deployed,
     *     {@code TooManyRequestsException} when it is throttled
     */
    public Invocation invocation(String nameOrArn, String payload) {
        String name = functionName(nameOrArn);
        LocalFunction function = functions.get(name);
        String requestId = UUID.randomUUID().toString();
        if (function == null) {
            CommandFunction command = commands.get(name);
            if (command == null) {
                throw new LambdaServiceException("ResourceNotFoundException", "Function not found: " + nameOrArn);
            }
            Runnable release = admit(name);
            try {
                return command.invoke(requestId, payload == null ? "{}" : payload, threads);
            } finally {
                release.run();
            }
        }
        byte[] event = (payload == null ? "{}" : payload).getBytes(StandardCharsets.UTF_8);

        Runnable release = admit(name);
        HandlerAdapter adapter;
        LocalFunction.Acquired acquired;
        try {
            adapter = function.adapter();
            acquired = function.acquire();
        } catch (ClassNotFoundException e) {
            release.run();
            return failed(function, requestId, LambdaErrors.classNotFound(function.spec().handler()), Duration.ZERO, true);
        } catch (Throwable e) {
            release.run();
            LOG.error("{} could not be initialised", function.name(), e);
            return failed(function, requestId, LambdaErrors.unhandled(e), Duration.ZERO, true);
        }

        Duration timeout = function.spec().timeout();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        LocalContext context = new LocalContext(requestId, function.name(), function.arn(), function.spec().memoryMb(),
                deadline, logStreamName(acquired));
        AtomicBoolean timedOut = new AtomicBoolean();
        Future<byte[]> running = threads.submit(() -> {
            Object[] out = new Object[1];
            FunctionEnvironment.with(function.environment(), () -> {
                try {
                    out[0] = adapter.invoke(acquired.handler(), event, context);
                } catch (Throwable t) {
                    out[0] = t;
                }
                return null;
            });
            if (!timedOut.get()) {
                function.release(acquired.handler());
            }
            // Concurrency is held until the handler returns, or until its timeout discards the environment.
            release.run();
            if (out[0] instanceof Throwable t) {
                throw new ExecutionException(t);
            }
            return (byte[]) out[0];
        });
        try {
            byte[] response = running.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            LOG.debug("{} {} ok in {} ms", function.name(), requestId, took.toMillis());
            return new Invocation(requestId, function.name(), new String(response, StandardCharsets.UTF_8), null, took,
                    acquired.cold());
        } catch (TimeoutException e) {
            timedOut.set(true);
            running.cancel(true);
            release.run();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            LOG.warn("{} {} timed out after {} ms", function.name(), requestId, timeout.toMillis());
            return failed(function, requestId, LambdaErrors.timeout(requestId, timeout), took, acquired.cold());
        } catch (ExecutionException e) {
            Throwable error = e.getCause() instanceof ExecutionException inner ? inner.getCause() : e.getCause();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            ObjectNode doc = error instanceof HandlerAdapter.BadInputException bad ? LambdaErrors.badInput(bad.getCause())
                    : LambdaErrors.unhandled(error);
            LOG.info("{} {} failed: {}: {}", function.name(), requestId, doc.path("errorType").asText(),
                    doc.path("errorMessage").asText());
            return failed(function, requestId, doc, took, acquired.cold());
        } catch (InterruptedException e) {
            // The caller gave up; as on Lambda, the invocation itself runs on (close() gives it a grace period).
            Thread.currentThread().interrupt();
            throw new LambdaServiceException("ServiceException", "interrupted while invoking " + function.name());
        }
    }

    /**
     * Takes one of the function's concurrent executions, or throttles the call. Throttles are counted per function
     * and logged at the first and at every power of ten: a throttled map can refuse thousands of calls a minute.
     */
    private Runnable admit(String name) {
        try {
            return limits.admit(name);
        } catch (LambdaServiceException e) {
            int n = throttles.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            if (Long.toString(n).matches("10*")) {
                LOG.info("{} throttled ({} so far): {}", name, n, e.getMessage());
            } else {
                LOG.debug("{} throttled ({} so far): {}", name, n, e.getMessage());
            }
            throw e;
        }
    }

    private static Invocation failed(LocalFunction function, String requestId, ObjectNode doc, Duration took,
            boolean cold) {
        return new Invocation(requestId, function.name(), doc.toString(), "Unhandled", took, cold);
    }

    private static String logStreamName(LocalFunction.Acquired acquired) {
        return java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString().replace('-', '/') + "/[$LATEST]"
                + Integer.toHexString(System.identityHashCode(acquired.handler()));
    }

    /** The function's name from a name, {@code Name:qualifier}, a partial ARN or a full ARN. */
    static String functionName(String nameOrArn) {
        String s = nameOrArn;
        if (s.startsWith("arn:")) {
            String[] parts = s.split(":");
            return parts.length > 6 ? parts[6] : s;
        }
        int function = s.indexOf("function:");
        if (function >= 0) {
            s = s.substring(function + "function:".length());
        }
        int qualifier = s.indexOf(':');
        return qualifier >= 0 ? s.substring(0, qualifier) : s;
    }

    /** Lets invocations in flight finish for up to {@link #CLOSE_GRACE}, then interrupts what still runs. */
    @Override
    public void close() {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("invocations still running after {} s are interrupted", CLOSE_GRACE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.shutdownNow();
    }

    /** How long {@link #close()} waits for invocations in flight. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
}
