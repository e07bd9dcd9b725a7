package io.conveyor.local.runtime.lambda;

import io.conveyor.config.FunctionEnvironment;
import io.conveyor.deployment.FunctionSpec;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One deployed function: its catalogue entry, its ARN, its environment, and its execution environments. As on
 * Lambda, an environment (one handler instance) serves one invocation at a time: a concurrent invocation gets an
 * idle environment or a new one (a cold start, whose handler is built inside {@link FunctionEnvironment#with} so its
 * constructor reads this function's settings); an environment whose invocation timed out is thrown away.
 */
public final class LocalFunction {
    private final FunctionSpec spec;
    private final String arn;
    private final Map<String, String> environment;
    private final ClassLoader loader;
    private final Deque<Object> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger coldStarts = new AtomicInteger();
    private final AtomicInteger invocations = new AtomicInteger();
    private volatile HandlerAdapter adapter;

    LocalFunction(FunctionSpec spec, String arn, Map<String, String> environment, ClassLoader loader) {
        this.spec = spec;
        this.arn = arn;
        this.environment = Map.copyOf(environment);
        this.loader = loader;
    }

    public FunctionSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public String arn() {
        return arn;
    }

    /** The variables the function's handler sees through {@link FunctionEnvironment}. */
    public Map<String, String> environment() {
        return environment;
    }

    /** How many execution environments (handler instances) have been built. */
    public int coldStarts() {
        return coldStarts.get();
    }

    /** How many invocations have started. */
    public int invocations() {
        return invocations.get();
    }

    /** Whether the handler class is on the class path. */
    public boolean handlerPresent() {
        try {
            adapter();
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    HandlerAdapter adapter() throws ClassNotFoundException {
        HandlerAdapter a = adapter;
        if (a == null) {
            synchronized (this) {
                if (adapter == null) {
                    adapter = HandlerAdapter.load(spec.handler(), loader);
                }
                a = adapter;
            }
        }
        return a;
    }

    /** An idle handler instance, or a new one built with this function's environment. */
    Acquired acquire() throws Throwable {
        invocations.incrementAndGet();
        Object handler = idle.pollFirst();
        if (handler != null) {
            return new Acquired(handler, false);
        }
        HandlerAdapter a = adapter();
        Object[] built = new Object[1];
        Throwable[] failed = new Throwable[1];
        FunctionEnvironment.with(environment, () -> {
            try {
                built[0] = a.newInstance();
            } catch (Throwable t) {
                failed[0] = t;
            }
            return null;
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        coldStarts.incrementAndGet();
        return new Acquired(built[0], true);
    }

    /** Returns a handler instance whose invocation finished (successfully or with an error) for reuse. */
    void release(Object handler) {
        idle.offerFirst(handler);
    }

    record Acquired(Object handler, boolean cold) {}
}
