package io.conveyor.programs.wordfrequency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.programs.DeclaredInput;
import io.conveyor.programs.JobInputs;
import io.conveyor.programs.Program;
import io.conveyor.programs.SubJobOutputs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts words in text inputs. Splits every input into chunks of about {@code chunkBytes} that end on a line
 * boundary, counts words per chunk, and aggregates the totals and the {@code top} most frequent words.
 *
 * <p>Parameters: {@code top} (default 10, 1 to 1000), {@code chunkBytes} (default 1 MiB, 1 KiB to 64 MiB),
 * {@code lowercase} (default true). A word is a run of letters, digits and apostrophes.
 */
public final class WordFrequencyProgram implements Program {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
    /** How far past a nominal chunk end to look for the end of the line, per probe. */
    private static final int PROBE_BYTES = 64 * 1024;

    @Override
    public List<JsonNode> split(JobInputs job) throws IOException {
        long chunkBytes = job.longParameter("chunkBytes", 1024 * 1024, 1024, 64L * 1024 * 1024);
        topOf(job); // refuse bad parameters before any subjob runs
        List<JsonNode> chunks = new ArrayList<>();
        for (DeclaredInput input : job.inputs()) {
            long from = 0;
            while (from < input.size()) {
                long to = lineEndAfter(job, input, Math.min(from + chunkBytes, input.size()));
                chunks.add(JSON.objectNode().put("input", input.name()).put("from", from).put("to", to));
                from = to;
            }
        }
        return chunks;
    }

    /** The offset just past the first newline at or after {@code nominal}, or the end of the file. */
    private static long lineEndAfter(JobInputs job, DeclaredInput input, long nominal) throws IOException {
        long probe = nominal;
        while (probe < input.size()) {
            long end = Math.min(probe + PROBE_BYTES, input.size());
            try (InputStream in = job.openRange(input.name(), probe, end)) {
                byte[] window = in.readAllBytes();
                for (int i = 0; i < window.length; i++) {
                    if (window[i] == '\n') {
                        return probe + i + 1;
                    }
                }
            }
            probe = end;
        }
        return input.size();
    }

    @Override
    public JsonNode work(JsonNode input, JobInputs job) throws IOException {
        boolean lowercase = !"false".equalsIgnoreCase(job.parameter("lowercase").orElse("true"));
        Map<String, Long> counts = new HashMap<>();
        long total = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(job.openRange(input.path("input").asText(),
                input.path("from").asLong(), input.path("to").asLong()), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                Matcher m = WORD.matcher(line);
                while (m.find()) {
                    String word = lowercase ? m.group().toLowerCase(Locale.ROOT) : m.group();
                    counts.merge(word, 1L, Long::sum);
                    total++;
                }
            }
        }
        ObjectNode words = JSON.objectNode();
        counts.forEach(words::put);
        return JSON.objectNode().put("totalWords", total).set("words", words);
    }

    @Override
    public JsonNode aggregate(SubJobOutputs outputs, JobInputs job) throws IOException {
        int top = topOf(job);
        Map<String, Long> counts = new HashMap<>();
        long[] total = {0};
        outputs.forEach((index, output) -> {
            total[0] += output.path("totalWords").asLong();
            output.path("words").fields().forEachRemaining(e -> counts.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        });
        ArrayNode ranking = JSON.arrayNode();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(top)
                .forEach(e -> ranking.add(JSON.objectNode().put("word", e.getKey()).put("count", e.getValue())));
        ObjectNode result = JSON.objectNode().put("totalWords", total[0]).put("distinctWords", counts.size());
        result.set("top", ranking);
        return result;
    }

    private static int topOf(JobInputs job) {
        return (int) job.longParameter("top", 10, 1, 1000);
    }
}
