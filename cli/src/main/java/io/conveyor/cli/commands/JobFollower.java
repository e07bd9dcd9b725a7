package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.http.ApiClient;
import io.conveyor.cli.http.ApiError;
import io.conveyor.cli.output.Format;
import io.conveyor.cli.output.Output;
import io.conveyor.cli.output.ProgressDisplay;
import java.time.Duration;
import java.util.Locale;

/**
 * Follows a job until it ends by polling {@code GET /jobs/{id}}: on a terminal a bar of subjobs done, otherwise one
 * line per change of status, progress or attempt; with {@code --json} the job as one JSON line per change.
 * Transient failures (connection, 429, 5xx) are retried up to {@link #MAX_CONSECUTIVE_FAILURES} times in a row.
 */
final class JobFollower {
    static final int MAX_CONSECUTIVE_FAILURES = 5;

    private final ApiClient api;
    private final Output out;
    private final Duration interval;

    JobFollower(ApiClient api, Output out, Duration interval) {
        this.api = api;
        this.out = out;
        this.interval = interval;
    }

    /**
     * Follows the job until it ends, then prints how it ended and returns the exit status: 0 when it SUCCEEDED, 4
     * when it FAILED or was CANCELLED.
     */
    int followToEnd(String id) {
        return finish(follow(id));
    }

    /** Polls until the job is SUCCEEDED, FAILED or CANCELLED, and returns it. */
    private JsonNode follow(String id) {
        long start = System.nanoTime();
        String shown = null;
        int failures = 0;
        // The bar starts once the job knows how many subjobs it has: a bar of nothing would read "? % [] 0/0".
        ProgressDisplay bar = null;
        try {
            while (true) {
                JsonNode job;
                try {
                    job = api.get(ApiCommand.jobPath(id)).path("job");
                    failures = 0;
                } catch (CliException e) {
                    if (!transient_(e) || ++failures >= MAX_CONSECUTIVE_FAILURES) {
                        throw e;
                    }
                    out.note("(" + e.getMessage() + "; trying again)");
                    pause();
                    continue;
                }
                String state = job.path("status").asText() + " " + Jobs.progress(job) + " attempt " + Jobs.attempt(job);
                if (!state.equals(shown)) {
                    shown = state;
                    if (bar == null && !out.json() && job.path("progress").path("total").asInt() > 0) {
                        bar = out.count(barName(id), job.path("progress").path("total").asInt());
                    }
                    show(job, bar == null ? ProgressDisplay.NONE : bar, Duration.ofNanos(System.nanoTime() - start));
                }
                if (Jobs.terminal(job)) {
                    return job;
                }
                pause();
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
    }

    /**
     * The bar's name: the job id's first 8 characters, which tell a user's jobs apart; the whole id (36) would leave
     * no room for the bar in 80 columns, next to the counts and the status.
     */
    static String barName(String id) {
        return "Job " + (id.length() > 8 ? id.substring(0, 8) : id);
    }

    private void show(JsonNode job, ProgressDisplay bar, Duration elapsed) {
        if (out.json()) {
            out.jsonLine(job);
            return;
        }
        JsonNode p = job.path("progress");
        String status = job.path("status").asText();
        int attempt = Jobs.attempt(job);
        if (bar != ProgressDisplay.NONE) {
            bar.total(Math.max(1, p.path("total").asInt()));
            bar.stepTo(p.path("succeeded").asInt() + p.path("failed").asInt());
            bar.message(status + ", " + p.path("running").asInt() + " running, " + p.path("failed").asInt() + " failed"
                    + (attempt > 1 ? ", attempt " + attempt : ""));
            return;
        }
        out.line(String.format(Locale.ROOT, "%9s  %-13s subjobs %s%s", Format.duration(elapsed), status,
                Jobs.progress(job), attempt > 0 ? ", attempt " + attempt : ""));
    }

    private static boolean transient_(CliException e) {
        if (e instanceof ApiError a) {
            return a.status() == 429 || a.status() >= 500;
        }
        return e.exitCode() == ExitCodes.CONNECTION;
    }

    private void pause() {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.SOFTWARE, "Interrupted while following the job.", e);
        }
    }

    /**
     * Prints how a followed job ended and returns the exit status. With {@code --json} it prints nothing:
     * {@link #follow} printed the final job as its last line.
     */
    private int finish(JsonNode job) {
        String id = job.path("jobId").asText();
        if (out.json()) {
            // Already printed.
        } else if (job.path("status").asText().equals("SUCCEEDED")) {
            out.line("Job " + id + " SUCCEEDED: " + Jobs.progress(job) + ". Get the result with: conveyor download " + id);
        } else {
            String error = Jobs.error(job);
            out.line("Job " + id + " " + job.path("status").asText() + (error.isEmpty() ? "" : ": " + error)
                    + ". See conveyor status " + id + " and conveyor subjobs " + id + "; run it again with: conveyor retry " + id);
        }
        return Jobs.failed(job) ? ExitCodes.JOB_FAILED : ExitCodes.OK;
    }

    /** Parses {@code --interval} seconds. */
    static Duration interval(double seconds) {
        if (!(seconds > 0) || seconds > 3600) {
            throw CliException.usage("--interval must be more than 0 and at most 3600 seconds; got " + seconds + ".");
        }
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }
}
