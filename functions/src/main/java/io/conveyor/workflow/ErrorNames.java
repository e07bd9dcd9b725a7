package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.WorkflowErrors;
import io.conveyor.persistence.StoredJson;
import io.conveyor.programs.InvalidParametersException;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns the error names Step Functions reports (Java exception class names from our functions, {@code States.*}
 * and {@code Lambda.*} names; those the workflow retries on are {@link WorkflowErrors}'s) into the stable codes users see, and says which of them the re-registration
 * policy covers.
 */
final class ErrorNames {
    static final String DECLINED = "SubJob.Declined";
    static final String RESULT_REJECTED = "SubJob.ResultRejected";
    static final String TIMEOUT = WorkflowErrors.TIMEOUT;
    static final String THROTTLED = "Lambda.Throttled";
    static final String TOLERANCE_EXCEEDED = "SubJobs.ToleranceExceeded";
    static final String INVALID_PARAMETERS = "Program.InvalidParameters";
    static final String PROGRAM_FAILED = "Program.Failed";

    private static final Map<String, String> CODES = Map.of(
            WorkflowErrors.SUBJOB_DECLINED, DECLINED,
            WorkflowErrors.RESULT_REJECTED, RESULT_REJECTED,
            InvalidParametersException.class.getName(), INVALID_PARAMETERS,
            ToleranceExceededException.class.getName(), TOLERANCE_EXCEEDED,
            "States.ExceedToleratedFailureThreshold", TOLERANCE_EXCEEDED,
            "Lambda.TooManyRequestsException", THROTTLED);

    /** What a re-registration (a later attempt of the whole job) may cure: what RunSubJob retries, and more time. */
    private static final Set<String> REREGISTRABLE = Stream.concat(Stream.of(DECLINED, RESULT_REJECTED, TIMEOUT, THROTTLED,
            WorkflowErrors.HEARTBEAT_TIMEOUT, WorkflowErrors.WORKER_RETRYABLE_FAILURE), WorkflowErrors.LAMBDA_TRANSIENT.stream()).collect(Collectors.toUnmodifiableSet());

    private ErrorNames() {}

    /** The user-facing code for the error name Step Functions reported. */
    static String code(String error) {
        if (error == null || error.isBlank()) {
            return PROGRAM_FAILED;
        }
        String known = CODES.get(error);
        if (known != null) {
            return known;
        }
        // Any other Java exception is a program or platform failure; its class name means nothing to users.
        return error.matches("([a-z_][a-z0-9_]*\\.)+[A-Z][\\w$]*") ? PROGRAM_FAILED : error;
    }

    /** Whether re-registering the job may cure an error with this code. */
    static boolean reregistrable(String code) {
        return REREGISTRABLE.contains(code);
    }

    /** The message for people: a Lambda error payload's {@code errorMessage}, or the cause as it is. */
    static String message(String cause) {
        if (cause == null || cause.isBlank()) {
            return "no further detail";
        }
        if (cause.startsWith("{")) {
            try {
                JsonNode payload = StoredJson.MAPPER.readTree(cause);
                if (payload.hasNonNull("errorMessage")) {
                    return payload.get("errorMessage").asText();
                }
            } catch (java.io.IOException notJson) {
                // fall through: the cause is plain text that happens to start with a brace
            }
        }
        return cause.length() > 2000 ? cause.substring(0, 2000) + "..." : cause;
    }
}
