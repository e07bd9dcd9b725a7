package io.conveyor.job;

/**
 * How far the current attempt's subjobs have got. Updated atomically as each subjob starts and ends.
 *
 * @param total     subjobs the splitter produced; 0 until the job is split
 * @param running   subjobs started and not yet ended
 * @param succeeded subjobs that ended with an output
 * @param failed    subjobs that ended with an error after their retries
 */
public record Progress(int total, int running, int succeeded, int failed) {
    public static final Progress NONE = new Progress(0, 0, 0, 0);

    /** Subjobs with a recorded outcome. */
    public int finished() {
        return succeeded + failed;
    }
}
