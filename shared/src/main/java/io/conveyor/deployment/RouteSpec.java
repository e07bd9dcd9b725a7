package io.conveyor.deployment;

import java.util.Objects;
import java.util.Set;

/**
 * One route of the REST API, served by a function through the Lambda proxy integration.
 *
 * @param operation       the operation's name: the OpenAPI document's {@code operationId} and API Gateway's
 *                        operation name
 * @param method          the HTTP method
 * @param path            the path template, for example {@code /jobs/{id}}
 * @param function        the logical name of the function behind it
 * @param successStatuses the statuses it answers when it did what was asked
 */
public record RouteSpec(String operation, String method, String path, String function, Set<Integer> successStatuses) {
    public RouteSpec {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(function, "function");
        successStatuses = Set.copyOf(successStatuses);
    }

    /** {@code METHOD /path}, as the README and error messages name a route. */
    @Override
    public String toString() {
        return method + " " + path;
    }
}
