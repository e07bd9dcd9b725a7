package io.conveyor.cdk.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AWS calls the scenario suite recorded on the local runtime (the local module's
 * {@code io.conveyor.local.runtime.iam.IamCallRecording} writes the file), per caller: {@code function:<name>} or
 * {@code stateMachine:<name>}.
 *
 * @param account       the account of every recorded ARN
 * @param region        the region of every recorded ARN
 * @param resourceNames the physical name of each catalogue resource, by {@code Resource} name
 * @param programs      the programs the runtimes ran besides the samples ({@code CONVEYOR_PROGRAMS}), a JSON array
 * @param callers       each caller's distinct requests
 */
public record RecordedCalls(String account, String region, Map<String, String> resourceNames, String programs,
        Map<String, List<Request>> callers) {

    /**
     * One distinct request of a caller.
     *
     * @param calls the API calls that made it, such as {@code DynamoDB.TransactWriteItems}
     */
    public record Request(String action, String resource, Map<String, String> conditionKeys, List<String> calls) {
        @Override
        public String toString() {
            return action + " " + resource + (conditionKeys.isEmpty() ? "" : " " + conditionKeys) + " (by " + calls + ")";
        }
    }

    public static RecordedCalls read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no record of the scenario suite's AWS calls at " + file.toAbsolutePath()
                    + ": the local module's scenario tests write it; run them first (mvn -pl local,infra/cdk ... test)");
        }
        ObjectMapper json = new ObjectMapper();
        try {
            JsonNode root = json.readTree(file.toFile());
            Map<String, String> names = new LinkedHashMap<>();
            root.get("resourceNames").fields().forEachRemaining(e -> names.put(e.getKey(), e.getValue().asText()));
            Map<String, List<Request>> callers = new LinkedHashMap<>();
            root.get("callers").fields().forEachRemaining(caller -> {
                List<Request> requests = new ArrayList<>();
                for (JsonNode r : caller.getValue()) {
                    Map<String, String> keys = new LinkedHashMap<>();
                    r.path("conditionKeys").fields().forEachRemaining(k -> keys.put(k.getKey(), k.getValue().asText()));
                    List<String> calls = new ArrayList<>();
                    r.path("calls").forEach(c -> calls.add(c.asText()));
                    requests.add(new Request(r.get("action").asText(), r.get("resource").asText(), keys, calls));
                }
                callers.put(caller.getKey(), requests);
            });
            return new RecordedCalls(root.get("account").asText(), root.get("region").asText(), names,
                    json.writeValueAsString(root.get("programs")), callers);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
