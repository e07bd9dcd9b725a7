package io.conveyor.api;

import java.util.Map;

/**
 * A request the API refuses, with the status, a stable error code and a message that tells the caller what to
 * change. Thrown before anything is written, or after what was written has been undone.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "InvalidRequest", message);
    }

    /** The same answer for a job that does not exist and for someone else's job, so ids cannot be probed. */
    public static ApiException jobNotFound(String jobId) {
        return new ApiException(404, "JobNotFound", "No job " + jobId + " exists for this caller.");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
