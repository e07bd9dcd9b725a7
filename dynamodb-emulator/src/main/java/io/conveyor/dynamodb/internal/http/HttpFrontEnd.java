package io.conveyor.dynamodb.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.conveyor.dynamodb.internal.Database;
import io.conveyor.dynamodb.internal.ServerStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * The HTTP side: DynamoDB's AWS JSON 1.0 protocol on the JDK's built-in server, bound to 127.0.0.1. Every
 * request is a POST whose {@code X-Amz-Target} names the operation; the answer carries DynamoDB's headers,
 * including the {@code x-amz-crc32} checksum of the body that the AWS SDK verifies.
 */
public final class HttpFrontEnd {
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Database database;
    private final ServerStats stats = new ServerStats();

    private HttpFrontEnd(HttpServer server, ExecutorService executor, Database database) {
        this.server = server;
        this.executor = executor;
        this.database = database;
    }

    /** Starts serving {@code database} on 127.0.0.1:{@code port} (0: a free port). */
    public static HttpFrontEnd start(int port, Database database) {
        // Without TCP_NODELAY, small answers wait for the client's delayed ACK (about 40 ms on loopback).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dynamodb-emulator-http-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpFrontEnd frontEnd = new HttpFrontEnd(server, executor, database);
        server.createContext("/", frontEnd::handle);
        server.setExecutor(executor);
        server.start();
        return frontEnd;
    }

    /** The port served. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Request counts and in-server handling time per operation (from the body read to the answer written). */
    public ServerStats stats() {
        return stats;
    }

    /** Stops accepting requests and ends the handler threads. */
    public void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            long start = System.nanoTime();
            long cpuStart = CPU.getCurrentThreadCpuTime();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target != null && target.startsWith(TARGET_PREFIX)
                    ? target.substring(TARGET_PREFIX.length()) : target;
            String region = SigV4.region(exchange.getRequestHeaders().getFirst("Authorization"));
            Database.Answer answer = database.handle(operation, body, region);
            long handled = System.nanoTime();
            send(exchange, answer.status(), answer.body());
            stats.record(operation == null ? "(none)" : operation, handled - start, System.nanoTime() - start,
                    CPU.getCurrentThreadCpuTime() - cpuStart);
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(body);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/x-amz-json-1.0");
        headers.set("x-amz-crc32", Long.toString(crc.getValue()));
        headers.set("x-amzn-RequestId", RequestIds.next());
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
