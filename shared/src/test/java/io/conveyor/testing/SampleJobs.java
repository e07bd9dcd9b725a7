package io.conveyor.testing;

import io.conveyor.programs.DeclaredInput;
import io.conveyor.job.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Jobs for tests, with every field filled. */
public final class SampleJobs {
    private SampleJobs() {}

    public static Job created(String id, String owner, String program, Instant at) {
        return Job.create(id, owner, program, Map.of("top", "10", "lang", "en"),
                List.of(new DeclaredInput("a.txt", 1024, "text/plain",
                                "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"),
                        new DeclaredInput("b.txt", 2048, null, null)),
                List.of("dep-1"), "key-" + id, Duration.ofDays(7), at);
    }
}
