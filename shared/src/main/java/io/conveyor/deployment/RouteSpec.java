package io.conveyor.deployment;

/**
 * One route of the REST API, served by a function through the Lambda proxy integration.
 *
 * @param method   the HTTP method
 * @param path     the path template, for example {@code /jobs/{id}}
 * @param function the logical name of the function behind it
 */
public record RouteSpec(String method, String path, String function) {}
