package io.conveyor.cli.upload;

import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.output.ProgressDisplay;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongFunction;

/**
 * A local file declared as a job input: its name in the job (the file name), size, guessed content type and
 * SHA-256.
 *
 * @param path        where it is
 * @param name        the input's name in the job
 * @param size        bytes
 * @param contentType as {@link ContentTypes} guesses it
 * @param sha256      lower-case hex
 * @param modified    its modification time when it was hashed, to notice a change later without reading it again
 */
public record InputFile(Path path, String name, long size, String contentType, String sha256, FileTime modified) {
    /** Read buffer for hashing and uploading. */
    static final int BUFFER = 1024 * 1024;

    /**
     * Reads the file once, streaming, to learn its size and SHA-256.
     *
     * @param progress a progress display for the file's size in bytes
     * @throws CliException (usage) when the file is missing, not a regular file or unreadable
     */
    public static InputFile inspect(Path path, LongFunction<ProgressDisplay> progress) {
        if (!Files.isRegularFile(path)) {
            throw CliException.usage(Files.exists(path) ? path + " is not a regular file: give files, not directories."
                    : "No such file: " + path + ".");
        }
        String name = path.getFileName().toString();
        MessageDigest sha256 = newSha256();
        long size = 0;
        FileTime modified;
        try (InputStream in = Files.newInputStream(path); ProgressDisplay bar = progress.apply(Files.size(path))) {
            modified = Files.getLastModifiedTime(path);
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, n);
                size += n;
                bar.step(n);
            }
        } catch (NoSuchFileException e) {
            throw CliException.usage("No such file: " + path + ".");
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "Cannot read " + path + ": " + e.getMessage(), e);
        }
        return new InputFile(path, name, size, ContentTypes.guess(name), HexFormat.of().formatHex(sha256.digest()), modified);
    }

    /** Whether the file's size or modification time differ from when it was hashed. */
    boolean changedSinceHashed() throws IOException {
        return Files.size(path) != size || !Files.getLastModifiedTime(path).equals(modified);
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
