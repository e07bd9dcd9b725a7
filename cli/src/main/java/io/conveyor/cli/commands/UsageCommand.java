package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.http.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code conveyor usage [--from DAY] [--to DAY] [--user ID]}. */
@Command(name = "usage", description = "What your jobs consumed and cost, in all, per program and per day "
        + "(UTC days, by the day each job was created).")
public final class UsageCommand extends ApiCommand {
    @Option(names = "--from", paramLabel = "DAY", description = "First day, such as 2026-12-01 (default: 29 days before --to).")
    String from;

    @Option(names = "--to", paramLabel = "DAY", description = "Last day (default: today).")
    String to;

    @Option(names = "--user", paramLabel = "ID", description = "Another user's usage; only for an administrator of the deployment.")
    String user;

    @Override
    public Integer call() {
        JsonNode report = api().send(ApiClient.Call.get("/usage").query("from", from).query("to", to).query("user", user));
        if (out().json()) {
            out().json(report);
            return ExitCodes.OK;
        }
        JsonNode total = report.path("total");
        out().line("Usage of " + report.path("user").asText() + " from " + report.path("from").asText() + " to "
                + report.path("to").asText() + ": " + total.path("jobs").asInt() + " jobs");
        out().line("Consumed:  " + Costs.usage(total.path("usage")));
        out().line("Cost:      " + Costs.cost(total.path("cost")));
        List<List<String>> programs = new ArrayList<>();
        for (JsonNode p : report.path("programs")) {
            programs.add(row(p.path("program").asText(), p));
        }
        if (!programs.isEmpty()) {
            out().table(List.of("PROGRAM", "JOBS", "TRANSITIONS", "LAMBDA GB-S", "COST"), programs);
        }
        List<List<String>> days = new ArrayList<>();
        for (JsonNode d : report.path("days")) {
            days.add(row(d.path("day").asText(), d));
        }
        if (!days.isEmpty()) {
            out().table(List.of("DAY", "JOBS", "TRANSITIONS", "LAMBDA GB-S", "COST"), days);
        }
        return ExitCodes.OK;
    }

    private static List<String> row(String name, JsonNode totals) {
        JsonNode u = totals.path("usage");
        return List.of(name, totals.path("jobs").asText(), u.path("stateTransitions").asText(),
                String.format(Locale.ROOT, "%.3f", u.path("lambdaGbSeconds").asDouble()),
                Costs.dollars(totals.path("cost").path("total")));
    }
}
