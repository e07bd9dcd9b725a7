package io.conveyor.deployment;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The errors API Gateway answers itself, before or instead of a function, in the shape the handlers answer theirs:
 * {@code {"code": ..., "message": ...}}. The CDK stack installs {@link #TEMPLATE} and {@link #VALIDATION_TEMPLATE}
 * as the REST API's gateway responses; the local runtime's gateway answers {@link #body} for the same cases, so a
 * client meets one shape on both.
 */
public final class GatewayResponses {
    /**
     * Every gateway response the stack does not narrow further: the gateway response type is the code, API Gateway's
     * own message the message ({@code messageString} is already a quoted JSON string).
     */
    public static final String TEMPLATE =
            "{\"code\":\"$context.error.responseType\",\"message\":$context.error.messageString}";
    /** A request the REST API's validator refused (body or parameters): the handlers' own code for a bad request. */
    public static final String VALIDATION_TEMPLATE =
            "{\"code\":\"InvalidRequest\",\"message\":\"$util.escapeJavaScript($context.error.validationErrorString)\"}";

    /** The gateway responses the local gateway gives, with API Gateway's status, message and error type header. */
    public enum Type {
        /** No route for the method and path (API Gateway does not say 404, so that routes stay unguessable). */
        MISSING_AUTHENTICATION_TOKEN(403, "Missing Authentication Token", "MissingAuthenticationTokenException"),
        /** The authoriser refused the token, or there was none. */
        UNAUTHORIZED(401, "Unauthorized", "UnauthorizedException"),
        /** The caller is known but may not do this (the local runtime's own endpoints without --dev-open). */
        ACCESS_DENIED(403, "User is not authorized to access this resource", "AccessDeniedException"),
        /** A body above API Gateway's 10 MB payload limit. */
        REQUEST_TOO_LARGE(413, "Request Too Long", "RequestTooLongException"),
        /**
         * The function failed, timed out or answered a malformed proxy response (502), or could not be invoked
         * (500): the stack's DEFAULT_5XX response renders it.
         */
        DEFAULT_5XX(502, "Internal server error", null);

        private final int status;
        private final String message;
        private final String errorType;

        Type(int status, String message, String errorType) {
            this.status = status;
            this.message = message;
            this.errorType = errorType;
        }

        public int status() {
            return status;
        }

        public String message() {
            return message;
        }

        /** The {@code x-amzn-ErrorType} header API Gateway sends with it, or null for none. */
        public String errorType() {
            return errorType;
        }
    }

    private GatewayResponses() {}

    /** The body {@link #TEMPLATE} renders for {@code type}. */
    public static String body(Type type) {
        return JsonNodeFactory.instance.objectNode().put("code", type.name()).put("message", type.message()).toString();
    }
}
