package io.conveyor.programs.primes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.conveyor.programs.InvalidParametersException;
import io.conveyor.programs.JobInputs;
import io.conveyor.programs.Program;
import io.conveyor.programs.SubJobOutputs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Counts the primes in a range, split into sub-ranges: CPU-bound, with no input files; used by benchmarks.
 *
 * <p>Parameters: {@code from} (default 1) and {@code to} (default 1,000,000), at most 10^12; {@code subJobs}
 * (default: one per 100,000 numbers, at most 10,000 unless more are asked for) — the number of sub-ranges, 1 to
 * 100,000.
 */
public final class PrimesProgram implements Program {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final long MAX = 1_000_000_000_000L;

    @Override
    public List<JsonNode> split(JobInputs job) {
        long from = job.longParameter("from", 1, 1, MAX);
        long to = job.longParameter("to", 1_000_000, 1, MAX);
        if (to < from) {
            throw new InvalidParametersException("parameter 'to' (" + to + ") must not be below 'from' (" + from + ")");
        }
        long span = to - from + 1;
        long defaultParts = Math.min(10_000, Math.max(1, (span + 99_999) / 100_000));
        long parts = Math.min(span, job.longParameter("subJobs", defaultParts, 1, 100_000));
        List<JsonNode> ranges = new ArrayList<>();
        for (long i = 0; i < parts; i++) {
            long a = from + span * i / parts;
            long b = from + span * (i + 1) / parts - 1;
            ranges.add(JSON.objectNode().put("from", a).put("to", b));
        }
        return ranges;
    }

    @Override
    public JsonNode work(JsonNode input, JobInputs job) {
        long from = input.path("from").asLong();
        long to = input.path("to").asLong();
        return JSON.objectNode().put("from", from).put("to", to).put("count", countPrimes(from, to));
    }

    @Override
    public JsonNode aggregate(SubJobOutputs outputs, JobInputs job) throws IOException {
        long[] total = {0};
        outputs.forEach((index, output) -> total[0] += output.path("count").asLong());
        return JSON.objectNode()
                .put("from", job.longParameter("from", 1, 1, MAX))
                .put("to", job.longParameter("to", 1_000_000, 1, MAX))
                .put("primes", total[0])
                .put("subJobs", outputs.count());
    }

    /** Primes in [from, to], by a segmented sieve of Eratosthenes: memory grows with √to and the segment only. */
    public static long countPrimes(long from, long to) {
        if (to < 2) {
            return 0;
        }
        from = Math.max(from, 2);
        int root = (int) Math.sqrt((double) to);
        while ((long) (root + 1) * (root + 1) <= to) {
            root++;
        }
        BitSet composite = new BitSet(root + 1);
        List<Integer> basePrimes = new ArrayList<>();
        for (int i = 2; i <= root; i++) {
            if (!composite.get(i)) {
                basePrimes.add(i);
                for (long j = (long) i * i; j <= root; j += i) {
                    composite.set((int) j);
                }
            }
        }
        long count = 0;
        final int segment = 1 << 20;
        for (long low = from; low <= to; low += segment) {
            long high = Math.min(low + segment - 1, to);
            BitSet marked = new BitSet((int) (high - low + 1));
            for (int p : basePrimes) {
                long start = Math.max((long) p * p, (low + p - 1) / p * p);
                for (long m = start; m <= high; m += p) {
                    marked.set((int) (m - low));
                }
            }
            count += (high - low + 1) - marked.cardinality();
        }
        return count;
    }
}
