package io.conveyor.programs.checksum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.programs.DeclaredInput;
import io.conveyor.programs.JobInputs;
import io.conveyor.programs.Program;
import io.conveyor.programs.ResultRejectedException;
import io.conveyor.programs.SubJobOutputs;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One subjob per input file: its SHA-256, size and line count, aggregated into a manifest of all files. A
 * file whose content no longer matches the SHA-256 declared at submission is reported as a rejected result,
 * which the workflow retries (a bad read), and fails the subjob if it persists.
 *
 * <p>No parameters.
 */
public final class ChecksumProgram implements Program {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Override
    public List<JsonNode> split(JobInputs job) {
        return job.inputs().stream().map(i -> (JsonNode) JSON.objectNode().put("input", i.name())).toList();
    }

    @Override
    public JsonNode work(JsonNode input, JobInputs job) throws IOException {
        String name = input.path("input").asText();
        MessageDigest sha256 = sha256();
        long size = 0;
        long lines = 0;
        int last = -1;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = job.open(name)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha256.update(buffer, 0, n);
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                if (n > 0) {
                    last = buffer[n - 1];
                }
                size += n;
            }
        }
        if (size > 0 && last != '\n') {
            lines++; // a last line without a newline still counts
        }
        String digest = HexFormat.of().formatHex(sha256.digest());
        String declared = job.inputs().stream().filter(i -> i.name().equals(name)).map(DeclaredInput::sha256)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (declared != null && !declared.equals(digest)) {
            throw new ResultRejectedException("input " + name + " read with SHA-256 " + digest + ", not the declared " + declared);
        }
        return JSON.objectNode().put("name", name).put("sha256", digest).put("size", size).put("lines", lines);
    }

    @Override
    public JsonNode aggregate(SubJobOutputs outputs, JobInputs job) throws IOException {
        ArrayNode files = JSON.arrayNode();
        long[] totals = {0, 0};
        outputs.forEach((index, output) -> {
            files.add(output);
            totals[0] += output.path("size").asLong();
            totals[1] += output.path("lines").asLong();
        });
        ObjectNode result = JSON.objectNode().put("fileCount", files.size()).put("totalSize", totals[0]).put("totalLines", totals[1]);
        result.set("files", files);
        return result;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
