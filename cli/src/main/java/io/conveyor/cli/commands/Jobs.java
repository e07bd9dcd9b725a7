package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cli.output.Format;
import io.conveyor.cli.output.Output;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** How a job (the API's {@code Job} object) reads as text. */
final class Jobs {
    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private Jobs() {}

    static boolean terminal(JsonNode job) {
        return TERMINAL.contains(job.path("status").asText());
    }

    static boolean failed(JsonNode job) {
        String s = job.path("status").asText();
        return s.equals("FAILED") || s.equals("CANCELLED");
    }

    /** {@code 3/12 done (2 running, 1 failed)}, or {@code not split yet} before the subjobs exist. */
    static String progress(JsonNode job) {
        JsonNode p = job.path("progress");
        int total = p.path("total").asInt();
        if (total == 0) {
            return "not split yet";
        }
        int done = p.path("succeeded").asInt() + p.path("failed").asInt();
        return done + "/" + total + " done (" + p.path("running").asInt() + " running, " + p.path("failed").asInt()
                + " failed)";
    }

    /** The number of the current (last) attempt, 0 before the first starts. */
    static int attempt(JsonNode job) {
        JsonNode attempts = job.path("attempts");
        return attempts.isArray() && attempts.size() > 0 ? attempts.get(attempts.size() - 1).path("number").asInt() : 0;
    }

    /** {@code code: message} of the job's error, empty when it has none. */
    static String error(JsonNode job) {
        JsonNode e = job.path("error");
        if (e.isMissingNode() || e.isNull()) {
            return "";
        }
        return e.path("code").asText() + ": " + e.path("message").asText();
    }

    /** Prints a job as labelled lines, with its attempts. */
    static void describe(Output out, JsonNode job) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Job", job.path("jobId").asText()));
        rows.add(List.of("Program", job.path("program").asText()));
        rows.add(List.of("Status", job.path("status").asText()));
        rows.add(List.of("Subjobs", progress(job)));
        JsonNode params = job.path("parameters");
        if (params.size() > 0) {
            List<String> kv = new ArrayList<>();
            params.fields().forEachRemaining(f -> kv.add(f.getKey() + "=" + f.getValue().asText()));
            rows.add(List.of("Parameters", String.join(" ", kv)));
        }
        JsonNode inputs = job.path("inputs");
        if (inputs.size() > 0) {
            List<String> names = new ArrayList<>();
            long total = 0;
            for (JsonNode i : inputs) {
                names.add(i.path("name").asText());
                total += i.path("size").asLong();
            }
            rows.add(List.of("Inputs", inputs.size() + " (" + Format.bytes(total) + "): " + String.join(", ", names)));
        }
        if (job.path("dependsOn").size() > 0) {
            List<String> deps = new ArrayList<>();
            job.path("dependsOn").forEach(d -> deps.add(d.asText()));
            rows.add(List.of("Depends on", String.join(", ", deps)));
        }
        if (!error(job).isEmpty()) {
            rows.add(List.of("Error", error(job)));
        }
        rows.add(List.of("Result", job.path("resultReady").asBoolean() ? "ready (conveyor download " + job.path("jobId").asText() + ")"
                : "not ready"));
        rows.add(List.of("Created", job.path("createdAt").asText("")));
        rows.add(List.of("Updated", job.path("updatedAt").asText("")));
        if (job.hasNonNull("expiresAt")) {
            rows.add(List.of("Expires", job.path("expiresAt").asText() + " (retention " + job.path("retention").asText() + ")"));
        }
        if (job.has("cost")) {
            rows.add(List.of("Usage", Costs.usage(job.path("usage"))));
            rows.add(List.of("Cost", Costs.cost(job.path("cost"))));
        }
        for (List<String> row : rows) {
            out.line(String.format("%-11s %s", row.get(0) + ":", row.get(1)));
        }
        JsonNode attempts = job.path("attempts");
        if (attempts.size() > 0) {
            out.line("Attempts:");
            List<List<String>> table = new ArrayList<>();
            for (JsonNode a : attempts) {
                table.add(List.of("  " + a.path("number").asText(), a.path("outcome").asText("RUNNING"),
                        a.path("startedAt").asText(""), took(a), Costs.dollars(a.path("cost").path("total")), error(a)));
            }
            out.table(List.of("  #", "OUTCOME", "STARTED", "TOOK", "COST", "ERROR"), table);
        }
    }

    private static String took(JsonNode attempt) {
        try {
            if (!attempt.hasNonNull("startedAt") || !attempt.hasNonNull("endedAt")) {
                return "";
            }
            return Format.duration(Duration.between(Instant.parse(attempt.get("startedAt").asText()),
                    Instant.parse(attempt.get("endedAt").asText())));
        } catch (DateTimeParseException e) {
            return "";
        }
    }
}
