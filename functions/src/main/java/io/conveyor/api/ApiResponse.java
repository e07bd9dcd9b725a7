package io.conveyor.api;

import java.util.Map;

/**
 * What a route answers: a status, a JSON body (any Jackson-serialisable value, or {@code null} for none) and
 * extra headers.
 */
public record ApiResponse(int status, Object body, Map<String, String> headers) {
    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse of(int status, Object body) {
        return new ApiResponse(status, body, Map.of());
    }
}
