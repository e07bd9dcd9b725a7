package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.RouteSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document describes exactly the catalogue's routes, as the handler serves them: the same operations,
 * the same success statuses (the catalogue's), and the same refusals (the handler's).
 */
class OpenApiContractTest {
    private static JsonNode document;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream in = OpenApiContractTest.class.getResourceAsStream("/openapi.yaml")) {
            document = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    /** {@code METHOD /path} to what {@code field} of the document's operation gives. */
    private static <T> Map<String, T> documented(java.util.function.Function<JsonNode, T> field) {
        Map<String, T> operations = new TreeMap<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            if (!operation.getKey().equals("parameters")) {
                operations.put(operation.getKey().toUpperCase() + " " + path.getKey(), field.apply(operation.getValue()));
            }
        }));
        return operations;
    }

    private static Set<Integer> statuses(JsonNode operation) {
        Set<Integer> statuses = new TreeSet<>();
        operation.path("responses").fieldNames().forEachRemaining(s -> statuses.add(Integer.parseInt(s)));
        return statuses;
    }

    @Test
    void document_hasEveryCatalogueRoute_underItsOperationName_andNoOther() {
        Map<String, String> catalogued = new TreeMap<>();
        Catalogue.ROUTES.forEach(r -> catalogued.put(r.toString(), r.operation()));
        assertEquals(catalogued, documented(operation -> operation.path("operationId").asText()));
    }

    @Test
    void document_givesEachRouteTheCataloguesSuccessStatuses() {
        Map<String, Set<Integer>> catalogued = new TreeMap<>();
        Catalogue.ROUTES.forEach(r -> catalogued.put(r.toString(), new TreeSet<>(r.successStatuses())));
        Map<String, Set<Integer>> documented = documented(OpenApiContractTest::statuses);
        documented.values().forEach(s -> s.removeIf(status -> status >= 400));
        assertEquals(catalogued, documented);
    }

    @Test
    void document_andHandlers_answerTheSameStatusesOnEveryRoute() {
        ApiHarness harness = new ApiHarness();
        Map<String, Set<Integer>> served = new TreeMap<>();
        for (RouteSpec route : RouteDispatcher.routesOf(Catalogue.API)) {
            served.put(route.toString(), harness.api.statuses(route));
        }
        for (RouteSpec route : RouteDispatcher.routesOf(Catalogue.WORKER_PROTOCOL)) {
            served.put(route.toString(), harness.workers.statuses(route));
        }
        assertEquals(served, documented(OpenApiContractTest::statuses));
    }

    @Test
    void everyCatalogueRoute_isServedByTheApiFunction_orTheWorkerProtocolFunction() {
        assertEquals(Catalogue.ROUTES.size(), RouteDispatcher.routesOf(Catalogue.API).size()
                + RouteDispatcher.routesOf(Catalogue.WORKER_PROTOCOL).size());
        assertEquals(java.util.List.of("/workers"), RouteDispatcher.routesOf(Catalogue.WORKER_PROTOCOL).stream()
                .map(r -> r.path().replaceAll("^(/workers).*", "$1")).distinct().toList(), "the worker protocol's paths only");
    }
}
