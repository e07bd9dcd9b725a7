package io.conveyor.cli;

/** The CLI's exit statuses, one per kind of outcome, so scripts can tell them apart. */
public final class ExitCodes {
    /** The command did what it was asked (and a waited-for job SUCCEEDED). */
    public static final int OK = 0;
    /** Something unexpected: a bug in the CLI, or a local I/O failure other than the ones below. */
    public static final int SOFTWARE = 1;
    /** The command line, the environment or the profile file is wrong; nothing was sent, or a local file is missing. */
    public static final int USAGE = 2;
    /** The API (or the storage behind a presigned URL) refused the request; the message is the API's. */
    public static final int API = 3;
    /** The job the command waited for ended FAILED or CANCELLED. */
    public static final int JOB_FAILED = 4;
    /** The endpoint could not be reached: connection refused, unknown host, timeout, TLS failure. */
    public static final int CONNECTION = 5;

    private ExitCodes() {}
}
