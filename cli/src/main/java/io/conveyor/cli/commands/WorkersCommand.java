package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cli.ExitCodes;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code conveyor workers}. */
@Command(name = "workers", description = "List your external workers: health, last call, capabilities and the subjobs "
        + "each holds.")
public final class WorkersCommand extends ApiCommand {

    @Override
    public Integer call() {
        JsonNode workers = api().get("/workers");
        if (out().json()) {
            out().json(workers);
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode w : workers.path("workers")) {
            List<String> holds = new ArrayList<>();
            w.path("holds").forEach(h -> holds.add(h.path("jobId").asText() + "#" + h.path("index").asText()));
            rows.add(List.of(w.path("workerId").asText(), w.path("name").asText("-"), w.path("health").asText(),
                    w.path("lastCallAt").asText(), String.join(",", strings(w.path("capabilities"))),
                    holds.isEmpty() ? "-" : String.join(" ", holds)));
        }
        if (rows.isEmpty()) {
            out().note("No workers registered; start one with conveyor worker --program NAME -- COMMAND.");
        } else {
            out().table(List.of("WORKER", "NAME", "HEALTH", "LAST CALL", "CAPABILITIES", "HOLDS (JOB#SUBJOB)"), rows);
        }
        return ExitCodes.OK;
    }

    private static List<String> strings(JsonNode list) {
        List<String> strings = new ArrayList<>();
        list.forEach(e -> strings.add(e.asText()));
        return strings;
    }
}
