package io.conveyor.subjob;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import io.conveyor.job.JobError;
import io.conveyor.persistence.Timestamps;
import java.time.Duration;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/** A subjob as one item of the subjobs table, keyed by job id and index so a query lists them in order. */
final class SubJobItem {
    static final String JOB_ID = "jobId";
    static final String INDEX = "subJobIndex";
    static final String JOB_ATTEMPT = "jobAttempt";
    static final String STATUS = "status";
    static final String ATTEMPTS = "attempts";
    static final String STARTED_AT = "startedAt";
    static final String DURATION_MILLIS = "durationMillis";
    static final String OUTPUT_KEY = "outputKey";
    static final String OUTPUT = "output";
    static final String ERROR_CODE = "errorCode";
    static final String ERROR_MESSAGE = "errorMessage";

    static final TableSchema<SubJobItem> SCHEMA = StaticTableSchema.builder(SubJobItem.class)
            .newItemSupplier(SubJobItem::new)
            .addAttribute(String.class, a -> a.name(JOB_ID).getter(i -> i.jobId).setter((i, v) -> i.jobId = v)
                    .tags(primaryPartitionKey()))
            .addAttribute(Integer.class, a -> a.name(INDEX).getter(i -> i.index).setter((i, v) -> i.index = v)
                    .tags(primarySortKey()))
            .addAttribute(Integer.class, a -> a.name(JOB_ATTEMPT).getter(i -> i.jobAttempt).setter((i, v) -> i.jobAttempt = v))
            .addAttribute(String.class, a -> a.name("inputKey").getter(i -> i.inputKey).setter((i, v) -> i.inputKey = v))
            .addAttribute(String.class, a -> a.name(STATUS).getter(i -> i.status).setter((i, v) -> i.status = v))
            .addAttribute(Integer.class, a -> a.name(ATTEMPTS).getter(i -> i.attempts).setter((i, v) -> i.attempts = v))
            .addAttribute(String.class, a -> a.name(STARTED_AT).getter(i -> i.startedAt).setter((i, v) -> i.startedAt = v))
            .addAttribute(Long.class, a -> a.name(DURATION_MILLIS).getter(i -> i.durationMillis).setter((i, v) -> i.durationMillis = v))
            .addAttribute(String.class, a -> a.name(OUTPUT_KEY).getter(i -> i.outputKey).setter((i, v) -> i.outputKey = v))
            .addAttribute(String.class, a -> a.name(OUTPUT).getter(i -> i.output).setter((i, v) -> i.output = v))
            .addAttribute(String.class, a -> a.name(ERROR_CODE).getter(i -> i.errorCode).setter((i, v) -> i.errorCode = v))
            .addAttribute(String.class, a -> a.name(ERROR_MESSAGE).getter(i -> i.errorMessage).setter((i, v) -> i.errorMessage = v))
            .build();

    String jobId;
    Integer index;
    Integer jobAttempt;
    String inputKey;
    String status;
    Integer attempts;
    String startedAt;
    Long durationMillis;
    String outputKey;
    String output;
    String errorCode;
    String errorMessage;

    static SubJobItem from(SubJob subJob) {
        SubJobItem item = new SubJobItem();
        item.jobId = subJob.jobId();
        item.index = subJob.index();
        item.jobAttempt = subJob.jobAttempt();
        item.inputKey = subJob.inputKey();
        item.status = subJob.status().name();
        item.attempts = subJob.attempts();
        item.startedAt = subJob.startedAt() == null ? null : Timestamps.sortable(subJob.startedAt());
        item.durationMillis = subJob.duration() == null ? null : subJob.duration().toMillis();
        item.outputKey = subJob.outputKey();
        item.output = subJob.output();
        if (subJob.error() != null) {
            item.errorCode = subJob.error().code();
            item.errorMessage = subJob.error().message();
        }
        return item;
    }

    SubJob toSubJob() {
        return new SubJob(jobId, index, jobAttempt, inputKey, SubJobStatus.valueOf(status), attempts == null ? 0 : attempts,
                startedAt == null ? null : Timestamps.parse(startedAt),
                durationMillis == null ? null : Duration.ofMillis(durationMillis),
                outputKey,
                output,
                errorCode == null ? null : new JobError(errorCode, errorMessage));
    }
}
