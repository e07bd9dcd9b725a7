package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cli.ExitCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conveyor programs [NAME]}. */
@Command(name = "programs", description = "List the registered programs with their limits and last 24 h statistics, "
        + "or show one.")
public final class ProgramsCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Show only this program, with its retry policy.")
    String name;

    @Override
    public Integer call() {
        if (name != null) {
            JsonNode program = api().get("/programs/" + segment(name));
            if (out().json()) {
                out().json(program);
            } else {
                describe(program);
            }
            return ExitCodes.OK;
        }
        JsonNode programs = api().get("/programs");
        if (out().json()) {
            out().json(programs);
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode p : programs.path("programs")) {
            JsonNode s = p.path("statistics");
            rows.add(List.of(p.path("name").asText(), p.path("maxConcurrency").asText(""),
                    p.path("subJobTimeoutSeconds").asText("") + " s", p.path("retry").path("maxAttempts").asText(""),
                    p.path("toleratedFailurePercentage").asText("") + "%", s.path("subJobs").asText("0"),
                    millis(s.path("p50Millis")), millis(s.path("p95Millis")),
                    s.has("errorRate") ? String.format(Locale.ROOT, "%.1f%%", s.path("errorRate").asDouble() * 100) : "-",
                    Costs.dollars(p.path("cost").path("perJobP50")), Costs.dollars(p.path("cost").path("perSubJobP50"))));
        }
        out().table(List.of("NAME", "CONCURRENCY", "TIMEOUT", "ATTEMPTS", "TOLERATED", "SUBJOBS 24H", "P50", "P95", "ERRORS",
                "COST/JOB P50", "COST/SUBJOB P50"), rows);
        return ExitCodes.OK;
    }

    private void describe(JsonNode p) {
        JsonNode r = p.path("retry");
        JsonNode rr = p.path("reRegistration");
        JsonNode s = p.path("statistics");
        List<List<String>> rows = new ArrayList<>(List.of(
                List.of("Program", p.path("name").asText()),
                List.of("Concurrency", p.path("maxConcurrency").asText() + " subjobs at once"),
                List.of("Timeout", p.path("subJobTimeoutSeconds").asText() + " s per subjob"),
                List.of("Tolerated", p.path("toleratedFailurePercentage").asText() + "% of subjobs may fail"),
                List.of("Retention", p.path("defaultRetention").asText()),
                List.of("Retry", r.path("maxAttempts").asText() + " attempts, " + r.path("intervalSeconds").asText()
                        + " s first, x" + r.path("backoffRate").asText() + ", at most " + r.path("maxDelaySeconds").asText()
                        + " s, jitter " + r.path("jitter").asText()),
                List.of("Re-register", rr.path("maxAttempts").asText() + " times, after " + rr.path("delaySeconds").asText()
                        + " s, doubling"),
                List.of("Last " + window(s.path("window").asText("PT24H")), s.path("subJobs").asText("0") + " subjobs, p50 "
                        + millis(s.path("p50Millis")) + ", p95 " + millis(s.path("p95Millis")) + ", max "
                        + millis(s.path("maxMillis")) + ", errors "
                        + String.format(Locale.ROOT, "%.1f%%", s.path("errorRate").asDouble() * 100))));
        JsonNode external = p.path("external");
        if (external.isObject()) {
            List<String> requires = new ArrayList<>();
            external.path("capabilities").forEach(c -> requires.add(c.asText()));
            rows.add(List.of("Workers", "external (conveyor worker), " + (requires.isEmpty() ? "any of the job's owner"
                    : "with " + String.join(", ", requires)) + "; a heartbeat at least every "
                    + external.path("heartbeatSeconds").asText() + " s"));
        }
        JsonNode c = p.path("cost");
        rows.add(List.of("Cost " + window(c.path("window").asText("PT24H")), c.path("jobs").asText("0") + " jobs ended; per job p50 "
                + Costs.dollars(c.path("perJobP50")) + ", p95 " + Costs.dollars(c.path("perJobP95")) + "; per subjob p50 "
                + Costs.dollars(c.path("perSubJobP50")) + ", p95 " + Costs.dollars(c.path("perSubJobP95"))));
        for (List<String> row : rows) {
            out().line(String.format("%-12s %s", row.get(0) + ":", row.get(1)));
        }
    }

    private static String window(String iso) {
        try {
            return io.conveyor.cli.output.Format.duration(java.time.Duration.parse(iso));
        } catch (java.time.format.DateTimeParseException e) {
            return iso;
        }
    }

    private static String millis(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "-" : n.asLong() + " ms";
    }
}
