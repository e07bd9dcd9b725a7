package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.http.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code conveyor usage [--from DAY] [--to DAY] [--user ID | --all-users]}. */
@Command(name = "usage", description = "What your jobs consumed and cost, in all, per program and per day "
        + "(UTC days, by the day each job was created).")
public final class UsageCommand extends ApiCommand {
    @Option(names = "--from", paramLabel = "DAY", description = "First day, such as 2026-12-01 (default: 29 days before --to).")
    String from;

    @Option(names = "--to", paramLabel = "DAY", description = "Last day (default: today).")
    String to;

    @Option(names = "--user", paramLabel = "ID", description = "Another user's usage; only for an administrator of the deployment.")
    String user;

    @Spec
    CommandSpec spec;

    @Option(names = "--all-users", description = "Every user's usage, one line per user; only for an administrator of the deployment.")
    boolean allUsers;

    @Override
    public Integer call() {
        if (allUsers && user != null) {
            throw new ParameterException(spec.commandLine(), "--all-users and --user ask for different "
                    + "reports: give one of them.");
        }
        JsonNode report = api().send(ApiClient.Call.get("/usage").query("from", from).query("to", to).query("user", user)
                .query("allUsers", allUsers ? "true" : null));
        if (out().json()) {
            out().json(report);
            return ExitCodes.OK;
        }
        if (allUsers) {
            return printAllUsers(report);
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

    private Integer printAllUsers(JsonNode report) {
        JsonNode total = report.path("total");
        out().line("Usage of every user from " + report.path("from").asText() + " to " + report.path("to").asText()
                + ": " + total.path("jobs").asInt() + " jobs");
        out().line("Consumed:  " + Costs.usage(total.path("usage")));
        out().line("Cost:      " + Costs.cost(total.path("cost")));
        List<List<String>> users = new ArrayList<>();
        for (JsonNode u : report.path("users")) {
            users.add(row(u.path("user").asText(), u.path("total")));
        }
        if (!users.isEmpty()) {
            out().table(List.of("USER", "JOBS", "TRANSITIONS", "LAMBDA GB-S", "COST"), users);
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
