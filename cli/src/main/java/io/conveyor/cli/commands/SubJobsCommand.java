package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.http.ApiClient;
import io.conveyor.cli.output.Format;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conveyor subjobs ID [--limit N] [--all] [--failed]}. */
@Command(name = "subjobs", description = "List a job's subjobs in index order: status, attempts, duration, error.")
public final class SubJobsCommand extends ApiCommand {
    @Parameters(paramLabel = "JOB_ID", description = "The job whose subjobs to list.")
    String id;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "Subjobs per page, 1 to 1000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--all", description = "Follow the pages to the end instead of stopping after the first.")
    boolean all;

    @Option(names = "--next-token", paramLabel = "TOKEN", description = "Start from this page.")
    String nextToken;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 1000) {
            throw CliException.usage("--limit must be from 1 to 1000; got " + limit + ".");
        }
        ListCommand.Pages pages = ListCommand.Pages.collect(api(),
                ApiClient.Call.get(jobPath(id) + "/subjobs").query("limit", limit), "subJobs", nextToken, all);
        if (out().json()) {
            out().json(pages.json());
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode s : pages.items()) {
            rows.add(List.of(s.path("index").asText(), s.path("status").asText(), s.path("attempts").asText("0"),
                    s.hasNonNull("durationMillis") ? Format.duration(Duration.ofMillis(s.get("durationMillis").asLong())) : "",
                    Jobs.error(s)));
        }
        if (rows.isEmpty()) {
            out().note("Job " + id + " has no subjobs yet (they exist once the job is split).");
        } else {
            out().table(List.of("INDEX", "STATUS", "ATTEMPTS", "DURATION", "ERROR"), rows);
        }
        if (pages.nextToken() != null) {
            out().note("More subjobs: conveyor subjobs " + id + " --all, or --next-token " + pages.nextToken());
        }
        return ExitCodes.OK;
    }
}
