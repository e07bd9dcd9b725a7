package io.conveyor.emulators;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;

/**
 * DynamoDB Local, the real DynamoDB engine AWS ships, serving its HTTP API inside this JVM on the loopback
 * interface only. Its own launcher binds every interface, so this one builds the Jetty server itself around
 * DynamoDB Local's request handler.
 *
 * <p>One database is shared by every region and credential ({@code sharedDb}), as a single-user emulator should.
 * Its one rule on credentials: the access key id may hold only letters and digits.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {
    private final Server jetty;
    private final LocalDynamoDBRequestHandler requests;
    private final URI endpoint;

    private EmbeddedDynamoDb(Server jetty, LocalDynamoDBRequestHandler requests, URI endpoint) {
        this.jetty = jetty;
        this.requests = requests;
        this.endpoint = endpoint;
    }

    /** Starts an in-memory database on a free loopback port. */
    public static EmbeddedDynamoDb inMemory() {
        return start(null, 0);
    }

    /**
     * Starts a database kept in {@code directory} (created if needed), so tables survive a restart.
     *
     * @param port the loopback port, or 0 for a free one
     */
    public static EmbeddedDynamoDb onDisk(Path directory, int port) {
        return start(directory, port);
    }

    private static EmbeddedDynamoDb start(Path directory, int port) {
        try {
            if (directory != null) {
                java.nio.file.Files.createDirectories(directory);
            }
            LocalDynamoDBRequestHandler requests = new LocalDynamoDBRequestHandler(
                    0, directory == null, directory == null ? null : directory.toString(), true, false);
            ContextHandler context = new ContextHandler();
            context.setHandler(new LocalDynamoDBServerHandler(requests, null));
            Server jetty = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            jetty.setHandler(context);
            jetty.start();
            int bound = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            return new EmbeddedDynamoDb(jetty, requests, URI.create("http://127.0.0.1:" + bound));
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** Where the DynamoDB API answers, for {@code AWS_ENDPOINT_URL_DYNAMODB} or an endpoint override. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
        } finally {
            requests.shutdown();
        }
    }
}
