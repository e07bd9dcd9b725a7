package io.conveyor.programs;

/**
 * The worker produced a result that failed its own validation (for example a checksum mismatch on a read);
 * running the subjob again may produce a good one. Retried like {@link SubJobDeclinedException} (a subclass too).
 */
public class ResultRejectedException extends RuntimeException {
    public ResultRejectedException(String message) {
        super(message);
    }
}
