package io.conveyor.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.conveyor.job.Attempt;
import io.conveyor.programs.DeclaredInput;
import io.conveyor.job.Job;
import io.conveyor.job.JobError;
import io.conveyor.job.JobStatus;
import io.conveyor.job.Progress;
import io.conveyor.job.UsageTails;
import io.conveyor.usage.Cost;
import io.conveyor.usage.PriceTable;
import io.conveyor.usage.Usage;
import java.time.Duration;
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
        Instant expiresAt,
        UsageView usage,
        Cost cost) {

    /**
     * A usage as the API shows it, in the units AWS bills.
     *
     * @param s3StorageGbMonths the storage its objects hold from the job's creation to its expiry (estimated)
     */
    public record UsageView(long stateTransitions, long lambdaInvocations, double lambdaGbSeconds,
            double dynamoDbReadUnits, double dynamoDbWriteUnits, long s3ClassARequests, long s3ClassBRequests,
            long s3BytesStored, double s3StorageGbMonths, long eventBridgeEvents) {
        static UsageView of(Usage u, Duration stored) {
            return of(u, u.storageGbMonths(stored));
        }

        static UsageView of(Usage u, double storageGbMonths) {
            return new UsageView(u.transitions(), u.lambdaInvocations(), u.lambdaGbSeconds(), u.readUnits(),
                    u.writeUnits(), u.s3ClassA(), u.s3ClassB(), u.s3BytesWritten(), storageGbMonths, u.events());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InputView(String name, long size, String contentType, String sha256) {
        static InputView of(DeclaredInput input) {
            return new InputView(input.name(), input.size(), input.contentType(), input.sha256());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptView(int number, Instant startedAt, Instant endedAt, Attempt.Outcome outcome, ErrorView error,
            UsageView usage, Cost cost) {
        static AttemptView of(Attempt a, UsageTails tails, Duration stored, PriceTable prices) {
            Usage usage = a.usage().plus(tails.of(a));
            return new AttemptView(a.number(), a.startedAt(), a.endedAt(), a.outcome(), ErrorView.of(a.error()),
                    UsageView.of(usage, stored), Cost.of(usage, stored, prices));
        }
    }

    public record ErrorView(String code, String message) {
        static ErrorView of(JobError error) {
            return error == null ? null : new ErrorView(error.code(), error.message());
        }
    }

    /**
     * {@code job} with its usage, {@code tails} included, priced at {@code prices}. An attempt's usage is what the job
     * consumed from the end of the one before to its own end; the job's is their sum and what it consumed since.
     */
    public static JobView of(Job job, UsageTails tails, PriceTable prices, Instant now) {
        Duration stored = job.objectsKept(now);
        Usage total = tails.totalOf(job);
        return new JobView(job.id(), job.program(), job.status(), job.parameters(),
                job.inputs().stream().map(InputView::of).toList(), job.dependsOn(), job.progress(),
                job.attempts().stream().map(a -> AttemptView.of(a, tails, stored, prices)).toList(), ErrorView.of(job.error()),
                job.status() == JobStatus.SUCCEEDED && job.resultKey() != null,
                job.createdAt(), job.updatedAt(), job.retention().toString(), job.expiresAt(),
                UsageView.of(total, stored), Cost.of(total, stored, prices));
    }
}
