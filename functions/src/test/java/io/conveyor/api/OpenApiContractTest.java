package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the handler agree on every route, method and status code. */
class OpenApiContractTest {

    @Test
    void documentAndHandler_haveTheSameRoutesMethodsAndStatuses() throws Exception {
        JsonNode document;
        try (InputStream in = getClass().getResourceAsStream("/openapi.yaml")) {
            document = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        Map<String, Set<Integer>> documented = new TreeMap<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            if (operation.getKey().equals("parameters")) {
                return;
            }
            Set<Integer> statuses = new TreeSet<>();
            operation.getValue().path("responses").fieldNames().forEachRemaining(s -> statuses.add(Integer.parseInt(s)));
            documented.put(operation.getKey().toUpperCase() + " " + path.getKey(), statuses);
        }));

        Map<String, Set<Integer>> implemented = new TreeMap<>();
        for (Route route : new ApiHarness().api.routes()) {
            implemented.put(route.method() + " " + route.path(), new TreeSet<>(route.statuses()));
        }
        assertEquals(implemented, documented);
    }

    @Test
    void deploymentCatalogue_routesEveryHandlerRouteToTheApiFunction() {
        Set<String> catalogued = new TreeSet<>();
        io.conveyor.deployment.Catalogue.ROUTES.forEach(r -> {
            assertEquals(io.conveyor.deployment.Catalogue.API.name(), r.function());
            catalogued.add(r.method() + " " + r.path());
        });
        Set<String> implemented = new TreeSet<>();
        new ApiHarness().api.routes().forEach(r -> implemented.add(r.method() + " " + r.path()));
        assertEquals(implemented, catalogued);
    }
}
