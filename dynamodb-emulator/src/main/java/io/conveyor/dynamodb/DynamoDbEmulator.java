package io.conveyor.dynamodb;

import io.conveyor.dynamodb.internal.Database;
import io.conveyor.dynamodb.internal.ServerStats;
import io.conveyor.dynamodb.internal.http.HttpFrontEnd;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A DynamoDB server on {@code 127.0.0.1}: DynamoDB's AWS JSON 1.0 protocol over HTTP, so an unmodified AWS SDK
 * client with an endpoint override talks to it. Any credentials and region are accepted; all clients share one
 * database. Data lives in memory, or with {@link Builder#dataDirectory(Path)} in an H2 MVStore file where every
 * acknowledged write survives a crash of the JVM.
 *
 * <pre>{@code
 * try (DynamoDbEmulator ddb = DynamoDbEmulator.builder().start()) {
 *     DynamoDbClient client = DynamoDbClient.builder().endpointOverride(ddb.endpoint())...build();
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the server and closes the data file.
 */
public final class DynamoDbEmulator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DynamoDbEmulator.class.getName());

    private final Database database;
    private final HttpFrontEnd server;
    private final ScheduledExecutorService sweeper;

    private DynamoDbEmulator(Builder b) {
        this.database = Database.open(b.dataDirectory, b.clock);
        try {
            this.server = HttpFrontEnd.start(b.port, database);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        if (b.ttlSweepInterval == null) {
            this.sweeper = null;
        } else {
            this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dynamodb-emulator-ttl");
                t.setDaemon(true);
                return t;
            });
            long millis = b.ttlSweepInterval.toMillis();
            sweeper.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** A builder with the defaults: a free port, in memory, the system clock, no TTL sweep. */
    public static Builder builder() {
        return new Builder();
    }

    /** The server's address, {@code http://127.0.0.1:PORT}, for a client's endpoint override. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /**
     * Deletes now every item whose TTL attribute lies in the past by the emulator's clock, in every table with
     * TTL enabled, whether or not the background sweep is on (a hook for tests).
     *
     * @return the number of items deleted
     */
    public int expireNow() {
        return database.expireItems();
    }

    /** Request counts and the time spent handling them inside the server, for the benchmark. */
    ServerStats serverStats() {
        return server.stats();
    }

    private void sweepQuietly() {
        try {
            database.expireItems();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "TTL sweep failed; the next sweep tries again", e);
        }
    }

    /** Stops the server, the TTL sweep, and closes the data directory's file. */
    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        server.stop();
        database.close();
    }

    /** Settings of an emulator; not thread-safe. */
    public static final class Builder {
        private int port;
        private Path dataDirectory;
        private Clock clock = Clock.systemUTC();
        private Duration ttlSweepInterval;

        private Builder() {
        }

        /** The TCP port on 127.0.0.1; default 0, a free port (see {@link #endpoint()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The directory holding the data file; default none: data lives in memory and is lost at close. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        /** The clock TTL expiry is measured by; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How often the background sweep deletes expired items of tables with TTL enabled; {@code null} (the
         * default) turns the sweep off, leaving only {@link DynamoDbEmulator#expireNow()}.
         */
        public Builder ttlSweepInterval(Duration interval) {
            if (interval != null && (interval.isNegative() || interval.isZero())) {
                throw new IllegalArgumentException("ttlSweepInterval must be positive or null (off), was " + interval);
            }
            this.ttlSweepInterval = interval;
            return this;
        }

        /** Opens the data (if any) and starts serving. */
        public DynamoDbEmulator start() {
            return new DynamoDbEmulator(this);
        }
    }
}
