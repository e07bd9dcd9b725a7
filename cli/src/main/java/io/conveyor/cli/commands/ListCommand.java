package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.http.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code conveyor list [--status S] [--program P] [--limit N] [--all]}. */
@Command(name = "list", description = "List your jobs, newest first.")
public final class ListCommand extends ApiCommand {
    private static final Set<String> STATUSES =
            Set.of("CREATED", "QUEUED", "RUNNING", "RETRY_WAITING", "SUCCEEDED", "FAILED", "CANCELLED");

    @Option(names = "--status", paramLabel = "STATUS",
            description = "Only jobs in this status: CREATED, QUEUED, RUNNING, RETRY_WAITING, SUCCEEDED, FAILED, CANCELLED.")
    String status;

    @Option(names = "--program", paramLabel = "NAME", description = "Only jobs of this program.")
    String program;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "Jobs per page, 1 to 100 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--all", description = "Follow the pages to the end instead of stopping after the first.")
    boolean all;

    @Option(names = "--next-token", paramLabel = "TOKEN", description = "Start from this page (as printed by a previous list).")
    String nextToken;

    @Override
    public Integer call() {
        String wanted = status == null ? null : status.toUpperCase(Locale.ROOT);
        if (wanted != null && !STATUSES.contains(wanted)) {
            throw CliException.usage("--status must be one of " + STATUSES.stream().sorted().toList() + "; got '" + status + "'.");
        }
        if (limit < 1 || limit > 100) {
            throw CliException.usage("--limit must be from 1 to 100; got " + limit + ".");
        }
        Pages pages = Pages.collect(api(), ApiClient.Call.get("/jobs").query("limit", limit).query("status", wanted)
                .query("program", program), "jobs", nextToken, all);
        if (out().json()) {
            out().json(pages.json());
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode job : pages.items()) {
            rows.add(List.of(job.path("jobId").asText(), job.path("status").asText(), job.path("program").asText(),
                    Jobs.progress(job), job.path("createdAt").asText("")));
        }
        if (rows.isEmpty()) {
            out().note("No jobs" + (wanted == null && program == null ? "." : " match."));
        } else {
            out().table(List.of("JOB", "STATUS", "PROGRAM", "SUBJOBS", "CREATED"), rows);
        }
        if (pages.nextToken() != null) {
            out().note("More jobs: conveyor list --all, or --next-token " + pages.nextToken());
        }
        return ExitCodes.OK;
    }

    /**
     * The items of one page or of every page, listed under {@code field} in the API's responses, and the token of the
     * next page when not all were read.
     */
    record Pages(String field, ArrayNode items, String nextToken) {
        static Pages collect(ApiClient api, ApiClient.Call first, String field, String startToken, boolean all) {
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            String token = startToken;
            do {
                JsonNode page = api.send(first.query("nextToken", token));
                page.path(field).forEach(items::add);
                JsonNode next = page.get("nextToken");
                token = next == null || next.isNull() || next.asText().isEmpty() ? null : next.asText();
            } while (all && token != null);
            return new Pages(field, items, token);
        }

        /** What {@code --json} prints: the items as one page, shaped as the API's, with the next page's token. */
        ObjectNode json() {
            ObjectNode page = JsonNodeFactory.instance.objectNode();
            page.set(field, items);
            if (nextToken != null) {
                page.put("nextToken", nextToken);
            }
            return page;
        }
    }
}
