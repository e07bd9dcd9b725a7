package io.conveyor.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.conveyor.job.Attempt;
import io.conveyor.programs.DeclaredInput;
import io.conveyor.job.Job;
import io.conveyor.job.JobError;
import io.conveyor.job.JobStatus;
import io.conveyor.job.Progress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A job as the API shows it to its owner. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        String jobId,
        String program,
        JobStatus status,
        Map<String, String> parameters,
        List<InputView> inputs,
        List<String> dependsOn,
        Progress progress,
        List<AttemptView> attempts,
        ErrorView error,
        boolean resultReady,
        Instant createdAt,
        Instant updatedAt,
        String retention,
        Instant expiresAt) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InputView(String name, long size, String contentType, String sha256) {
        static InputView of(DeclaredInput input) {
            return new InputView(input.name(), input.size(), input.contentType(), input.sha256());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptView(int number, Instant startedAt, Instant endedAt, Attempt.Outcome outcome, ErrorView error) {
        static AttemptView of(Attempt a) {
            return new AttemptView(a.number(), a.startedAt(), a.endedAt(), a.outcome(), ErrorView.of(a.error()));
        }
    }

    public record ErrorView(String code, String message) {
        static ErrorView of(JobError error) {
            return error == null ? null : new ErrorView(error.code(), error.message());
        }
    }

    public static JobView of(Job job) {
        return new JobView(job.id(), job.program(), job.status(), job.parameters(),
                job.inputs().stream().map(InputView::of).toList(), job.dependsOn(), job.progress(),
                job.attempts().stream().map(AttemptView::of).toList(), ErrorView.of(job.error()),
                job.status() == JobStatus.SUCCEEDED && job.resultKey() != null,
                job.createdAt(), job.updatedAt(), job.retention().toString(), job.expiresAt());
    }
}
