package io.conveyor.asl.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's HTTP server as every local endpoint uses it (the engine's Step Functions API, the runtime's API
 * Gateway, Lambda and EventBridge endpoints): bound to one address, every path served by one handler on daemon
 * threads, so a forgotten endpoint never keeps the JVM alive. Bound first and served second, so the handler can
 * be an object that holds this endpoint.
 */
public final class HttpEndpoint implements AutoCloseable {
    /**
     * The JDK's server writes a response's headers and its body in two sends, and leaves Nagle's algorithm on unless
     * this property says otherwise: the body then waits for the client's delayed acknowledgement of the headers,
     * about 40 ms on Linux loopback. The engine's SendTaskSuccess answered in 45 ms instead of 3 that way, once per
     * job. The server reads the property once, when the first one in the JVM is created; an explicit setting wins.
     */
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService pool;

    private HttpEndpoint(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /**
     * Binds {@code host:port}; nothing is served until {@link #serve}.
     *
     * @param port       0 for a free port
     * @param backlog    queued connections beyond those being served, 0 for the system's default
     * @param threadName the name of the threads that serve requests
     */
    public static HttpEndpoint bind(String host, int port, int backlog, String threadName) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), backlog);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        return new HttpEndpoint(server, pool);
    }

    /** Starts serving every path with {@code handler}. */
    public void serve(HttpHandler handler) {
        server.createContext("/", handler);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL, {@code http://HOST:PORT}, for an SDK client's endpoint override. */
    public URI uri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port());
    }

    /** The threads that serve requests, for work a handler hands off and answers before it ends. */
    public ExecutorService executor() {
        return pool;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
