package io.conveyor.config;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Drops {@code Expect: 100-continue} from S3 requests. Our S3 writes are small (manifests, outputs, results),
 * where waiting for a 100 saves nothing, and the URL-connection client's handling of it fails now and then
 * against Jetty-based S3 servers ("Unexpected end of file from server", about 1 PUT in 400 under 8 concurrent
 * writers against S3Proxy), an error the SDK does not retry.
 */
public final class WithoutExpectContinue implements ExecutionInterceptor {
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        return context.httpRequest().toBuilder().removeHeader("Expect").build();
    }
}
