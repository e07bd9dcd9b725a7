package io.conveyor.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.programs.checksum.ChecksumProgram;
import io.conveyor.programs.primes.PrimesProgram;
import io.conveyor.programs.wordfrequency.WordFrequencyProgram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sample programs, split, work and aggregate, on inputs held in memory. */
class SampleProgramsTest {

    private static JsonNode run(Program program, JobInputs job) throws Exception {
        List<JsonNode> outputs = new ArrayList<>();
        for (JsonNode input : program.split(job)) {
            outputs.add(program.work(input, job));
        }
        return program.aggregate(new InMemoryOutputs(outputs), job);
    }

    @Test
    void wordFrequency_chunksEndOnLineBoundaries_andTotalsDoNotDependOnTheChunking() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            text.append("The quick brown fox jumps over the lazy dog ").append(i % 7).append('\n');
        }
        WordFrequencyProgram program = new WordFrequencyProgram();
        InMemoryJobInputs small = new InMemoryJobInputs(Map.of("chunkBytes", "1024", "top", "3")).file("a.txt", text.toString());
        List<JsonNode> chunks = program.split(small);
        assertTrue(chunks.size() > 10, "about one chunk per KiB: " + chunks.size());
        long previousEnd = 0;
        for (JsonNode chunk : chunks) {
            assertEquals(previousEnd, chunk.path("from").asLong(), "chunks are contiguous");
            long end = chunk.path("to").asLong();
            assertTrue(end == text.length() || text.charAt((int) end - 1) == '\n', "chunk ends on a line boundary");
            previousEnd = end;
        }
        assertEquals(text.length(), previousEnd);

        JsonNode chunked = run(program, small);
        JsonNode whole = run(program, new InMemoryJobInputs(Map.of("top", "3")).file("a.txt", text.toString()));
        assertEquals(whole, chunked);
        assertEquals(4000, chunked.path("totalWords").asLong());
        assertEquals("the", chunked.path("top").get(0).path("word").asText());
        assertEquals(800, chunked.path("top").get(0).path("count").asLong());
        assertEquals(3, chunked.path("top").size());
    }

    @Test
    void wordFrequency_refusesABadTop() {
        InMemoryJobInputs job = new InMemoryJobInputs(Map.of("top", "zero")).file("a.txt", "x\n");
        InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> new WordFrequencyProgram().split(job));
        assertTrue(e.getMessage().contains("'top'"), e.getMessage());
    }

    @Test
    void checksum_reportsSha256SizeAndLinesPerFile() throws Exception {
        JsonNode result = run(new ChecksumProgram(),
                new InMemoryJobInputs(Map.of()).file("a.txt", "abc").file("b.txt", "one\ntwo\n"));
        assertEquals(2, result.path("fileCount").asInt());
        JsonNode a = result.path("files").get(0);
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", a.path("sha256").asText());
        assertEquals(1, a.path("lines").asLong(), "a last line without a newline still counts");
        assertEquals(2, result.path("files").get(1).path("lines").asLong());
        assertEquals(11, result.path("totalSize").asLong());
    }

    @Test
    void primes_countsKnownRanges() throws Exception {
        assertEquals(25, PrimesProgram.countPrimes(1, 100));
        assertEquals(78_498, run(new PrimesProgram(), new InMemoryJobInputs(Map.of("to", "1000000", "subJobs", "7")))
                .path("primes").asLong());
        assertEquals(1, PrimesProgram.countPrimes(2, 2));
        assertEquals(0, PrimesProgram.countPrimes(24, 28));
        JsonNode result = run(new PrimesProgram(), new InMemoryJobInputs(Map.of("from", "1000000", "to", "1100000")));
        assertEquals(PrimesProgram.countPrimes(1_000_000, 1_100_000), result.path("primes").asLong());
        assertEquals(2, result.path("subJobs").asInt(), "one subjob per 100,000 numbers, rounded up");
    }

    @Test
    void primes_refusesAnEmptyRange() {
        assertThrows(InvalidParametersException.class,
                () -> new PrimesProgram().split(new InMemoryJobInputs(Map.of("from", "10", "to", "5"))));
    }
}
