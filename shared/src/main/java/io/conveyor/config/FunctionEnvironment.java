package io.conveyor.config;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The environment a function reads its configuration from. On Lambda that is the process environment. The
 * local runtime runs every function in one JVM, so it builds each handler inside {@link #with}, giving it the
 * same variables the CDK stack gives that function on Lambda; handlers read their configuration once, in
 * their constructor, so that is where it must be in place. The threads a function starts while it is built or runs
 * (its pools) inherit its environment, as every thread of a Lambda process sees the process's.
 */
public final class FunctionEnvironment {
    private static final ThreadLocal<Map<String, String>> OVERRIDE = new InheritableThreadLocal<>();

    private FunctionEnvironment() {}

    /** The variables of the function being built or run on this thread. */
    public static Map<String, String> current() {
        Map<String, String> override = OVERRIDE.get();
        return override != null ? override : System.getenv();
    }

    /** One variable of {@link #current()}, or {@code null}. */
    public static String get(String name) {
        return current().get(name);
    }

    /** Builds something (a handler) on this thread with {@code environment} as its environment. */
    public static <T> T with(Map<String, String> environment, Supplier<T> build) {
        Map<String, String> previous = OVERRIDE.get();
        OVERRIDE.set(Map.copyOf(environment));
        try {
            return build.get();
        } finally {
            if (previous == null) {
                OVERRIDE.remove();
            } else {
                OVERRIDE.set(previous);
            }
        }
    }
}
