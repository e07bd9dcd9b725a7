package io.conveyor.cli.http;

import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;

/**
 * The API (or the storage behind a presigned URL) refused a request: its HTTP status, error code and message, and
 * the CLI's advice on what to do. Exit status {@link ExitCodes#API}.
 */
public final class ApiError extends CliException {
    private final int status;
    private final String code;
    private final String apiMessage;

    /**
     * @param status     the HTTP status
     * @param code       the error's code ({@code UnknownProgram}, ...), or a name for the status when the body had none
     * @param apiMessage the message as the server gave it
     * @param advice     what to do, appended to the message; empty for none
     */
    public ApiError(int status, String code, String apiMessage, String advice) {
        super(ExitCodes.API, sentence(apiMessage) + (advice.isEmpty() ? "" : " " + advice) + " (HTTP " + status + " " + code + ")");
        this.status = status;
        this.code = code;
        this.apiMessage = apiMessage;
    }

    private static String sentence(String text) {
        return text.isEmpty() || ".!?".indexOf(text.charAt(text.length() - 1)) >= 0 ? text : text + ".";
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The server's message alone, without the CLI's advice. */
    public String apiMessage() {
        return apiMessage;
    }
}
