package io.conveyor.cleanup;

import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Sits in a real SDK client and, for the requests a test picks, fails them before they are sent or runs an
 * action first (such as moving a clock). Lets a test break the cleaner at an exact step with no seam in the code
 * under test.
 */
final class FaultInjector implements ExecutionInterceptor {
    private volatile Predicate<SdkRequest> failWhen = request -> false;
    private volatile Consumer<SdkRequest> before = request -> {};

    /** From now on, requests matching {@code when} fail as a network error would. */
    void failWhen(Predicate<SdkRequest> when) {
        failWhen = when;
    }

    /** From now on, {@code action} runs before each request is sent. */
    void beforeEach(Consumer<SdkRequest> action) {
        before = action;
    }

    /** Back to passing every request through untouched. */
    void clear() {
        failWhen = request -> false;
        before = request -> {};
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        before.accept(context.request());
        if (failWhen.test(context.request())) {
            throw SdkClientException.create("injected fault on " + context.request().getClass().getSimpleName());
        }
    }
}
