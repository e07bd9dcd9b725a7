package io.conveyor.cli.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The CLI's HTTP: HTTP/1.1, redirects not followed, a connect timeout. Plain {@code http} URLs (the local runtime,
 * its S3Proxy) go through a client that never sets up TLS: the JDK's client loads and parses the JVM's trust store
 * when it is built, about 0.3 s of a command's 1.3 s measured here. A client with the JVM's TLS defaults is built
 * at the first {@code https} URL.
 */
public final class HttpTransport {
    private final Duration connectTimeout;
    private final HttpClient plain;
    private volatile HttpClient tls;

    public HttpTransport(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        // With a context and parameters of its own, the client touches neither the JVM's TLS defaults nor its trust store.
        this.plain = builder().sslContext(noTls()).sslParameters(new SSLParameters()).build();
    }

    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return clientFor(request).send(request, handler);
    }

    private HttpClient clientFor(HttpRequest request) {
        if (!"https".equalsIgnoreCase(request.uri().getScheme())) {
            return plain;
        }
        HttpClient client = tls;
        if (client == null) {
            synchronized (this) {
                if (tls == null) {
                    tls = builder().build();
                }
                client = tls;
            }
        }
        return client;
    }

    private HttpClient.Builder builder() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
    }

    /**
     * A TLS context left uninitialised, for the client that is only ever given {@code http} URLs: were it ever asked
     * for TLS, the handshake would fail rather than trust anything.
     */
    private static SSLContext noTls() {
        try {
            return SSLContext.getInstance("TLS");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has TLS", e);
        }
    }
}
