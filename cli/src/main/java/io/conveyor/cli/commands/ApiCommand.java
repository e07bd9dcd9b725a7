package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cli.ConveyorCli;
import io.conveyor.cli.http.ApiClient;
import io.conveyor.cli.output.Output;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/** What every command shares: the parent's settings, API client and output. */
abstract class ApiCommand implements Callable<Integer> {
    @ParentCommand
    ConveyorCli cli;

    ApiClient api() {
        return cli.api();
    }

    Output out() {
        return cli.output();
    }

    /** {@code /jobs/{id}} with the id encoded as one path segment. */
    static String jobPath(String id) {
        return "/jobs/" + segment(id);
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The text of a field, or {@code fallback} when it is missing or null. */
    static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }
}
