package io.conveyor.local.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The S3 port of a data directory, kept in {@code s3.port} beside the objects: presigned URLs name the endpoint, so
 * a URL handed out before a restart works after it only if S3 listens on the same port again. The first start on
 * a directory takes a free port and writes it; later starts read it.
 */
final class S3PortFile {
    private final Path file;

    S3PortFile(Path dataDir) {
        this.file = dataDir.resolve("s3.port");
    }

    /** The port kept for the directory, or 0 when none is kept yet. */
    int saved() {
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65_535) {
                throw new NumberFormatException("out of range");
            }
            return port;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " does not hold a port number (1 to 65535): delete it to let S3 take"
                    + " a free port (presigned URLs handed out before then stop working)", e);
        }
    }

    void save(int port) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, port + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** What to tell the user when the kept port is taken. */
    String takenMessage(int port) {
        return "S3 cannot listen on 127.0.0.1:" + port + ", the port kept for this data directory in " + file
                + " (presigned URLs handed out before name it): stop what listens on it, or delete " + file
                + " to let S3 take a free port (those URLs then stop working)";
    }
}
