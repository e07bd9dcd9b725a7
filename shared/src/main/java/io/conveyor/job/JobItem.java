package io.conveyor.job;

import io.conveyor.programs.DeclaredInput;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

import com.fasterxml.jackson.core.type.TypeReference;
import io.conveyor.persistence.StoredJson;
import io.conveyor.persistence.Timestamps;
import io.conveyor.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * A job as one item of the jobs table. Nested values (parameters, inputs, attempts) are JSON strings: they
 * are only ever read whole, and JSON keeps them readable in the console.
 */
final class JobItem {
    static final String JOB_ID = "jobId";
    static final String OWNER = "owner";
    static final String STATUS = "status";
    static final String PROGRAM = "program";
    static final String CREATED_KEY = "createdKey";
    static final String OWNER_STATUS = "ownerStatus";
    static final String EXPIRY_SHARD = "expiryShard";
    static final String EXPIRES_AT = "expiresAt";
    static final String DELETE_AFTER = "deleteAfter";
    static final String ACTIVE_SHARD = "activeShard";
    static final String CHANGED_AT = "changedAt";
    /**
     * DynamoDB's TTL is only a backstop: it deletes a job item this long after its expiry, so the cleaner, which
     * removes the job's objects and subjob items before the job item, always gets there first.
     */
    static final java.time.Duration TTL_MARGIN = java.time.Duration.ofDays(7);
    static final String VERSION = "version";
    static final String ATTEMPT = "attempt";
    static final String SUBJOBS_TOTAL = "subJobsTotal";
    static final String SUBJOBS_RUNNING = "subJobsRunning";
    static final String SUBJOBS_SUCCEEDED = "subJobsSucceeded";
    static final String SUBJOBS_FAILED = "subJobsFailed";

    /**
     * What the job consumed since its last attempt ended, one number attribute per measure, so that the transactions
     * that move its subjob counters can add to them ({@code ADD}) as they do to the counters.
     */
    static final String USAGE_TRANSITIONS = "usageTransitions";
    static final String USAGE_LAMBDA_INVOCATIONS = "usageLambdaInvocations";
    static final String USAGE_LAMBDA_MB_MILLIS = "usageLambdaMbMillis";
    static final String USAGE_READ_UNITS = "usageReadUnits";
    static final String USAGE_WRITE_UNITS = "usageWriteUnits";
    static final String USAGE_S3_CLASS_A = "usageS3ClassA";
    static final String USAGE_S3_CLASS_B = "usageS3ClassB";
    static final String USAGE_S3_BYTES = "usageS3Bytes";
    static final String USAGE_EVENTS = "usageEvents";

    static final String BY_OWNER = "byOwner";
    static final String BY_OWNER_STATUS = "byOwnerStatus";
    static final String BY_EXPIRY = "byExpiry";
    static final String BY_LAST_CHANGE = "byLastChange";

    /** Terminal jobs are spread over this many expiry partitions, so no one index partition takes every write. */
    static final int EXPIRY_SHARDS = 4;
    /** Queued and running jobs are spread over this many partitions of {@link #BY_LAST_CHANGE}, for the same reason. */
    static final int ACTIVE_SHARDS = 4;

    private static final TypeReference<Map<String, String>> PARAMETERS = new TypeReference<>() {};
    private static final TypeReference<List<DeclaredInput>> INPUTS = new TypeReference<>() {};
    private static final TypeReference<List<String>> IDS = new TypeReference<>() {};
    private static final TypeReference<List<Attempt>> ATTEMPTS = new TypeReference<>() {};

    static final TableSchema<JobItem> SCHEMA = StaticTableSchema.builder(JobItem.class)
            .newItemSupplier(JobItem::new)
            .addAttribute(String.class, a -> a.name(JOB_ID).getter(i -> i.jobId).setter((i, v) -> i.jobId = v)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(OWNER).getter(i -> i.owner).setter((i, v) -> i.owner = v)
                    .tags(secondaryPartitionKey(BY_OWNER)))
            .addAttribute(String.class, a -> a.name(CREATED_KEY).getter(i -> i.createdKey).setter((i, v) -> i.createdKey = v)
                    .tags(secondarySortKey(BY_OWNER), secondarySortKey(BY_OWNER_STATUS)))
            .addAttribute(String.class, a -> a.name(OWNER_STATUS).getter(i -> i.ownerStatus).setter((i, v) -> i.ownerStatus = v)
                    .tags(secondaryPartitionKey(BY_OWNER_STATUS)))
            .addAttribute(String.class, a -> a.name(EXPIRY_SHARD).getter(i -> i.expiryShard).setter((i, v) -> i.expiryShard = v)
                    .tags(secondaryPartitionKey(BY_EXPIRY)))
            .addAttribute(Long.class, a -> a.name(EXPIRES_AT).getter(i -> i.expiresAt).setter((i, v) -> i.expiresAt = v)
                    .tags(secondarySortKey(BY_EXPIRY)))
            .addAttribute(String.class, a -> a.name(ACTIVE_SHARD).getter(i -> i.activeShard).setter((i, v) -> i.activeShard = v)
                    .tags(secondaryPartitionKey(BY_LAST_CHANGE)))
            .addAttribute(Long.class, a -> a.name(CHANGED_AT).getter(i -> i.changedAt).setter((i, v) -> i.changedAt = v)
                    .tags(secondarySortKey(BY_LAST_CHANGE)))
            .addAttribute(Long.class, a -> a.name(DELETE_AFTER).getter(i -> i.deleteAfter).setter((i, v) -> i.deleteAfter = v))
            .addAttribute(String.class, a -> a.name(PROGRAM).getter(i -> i.program).setter((i, v) -> i.program = v))
            .addAttribute(String.class, a -> a.name(STATUS).getter(i -> i.status).setter((i, v) -> i.status = v))
            .addAttribute(String.class, a -> a.name("parameters").getter(i -> i.parameters).setter((i, v) -> i.parameters = v))
            .addAttribute(String.class, a -> a.name("inputs").getter(i -> i.inputs).setter((i, v) -> i.inputs = v))
            .addAttribute(String.class, a -> a.name("dependsOn").getter(i -> i.dependsOn).setter((i, v) -> i.dependsOn = v))
            .addAttribute(String.class, a -> a.name("executionName").getter(i -> i.executionName).setter((i, v) -> i.executionName = v))
            .addAttribute(String.class, a -> a.name("idempotencyKey").getter(i -> i.idempotencyKey).setter((i, v) -> i.idempotencyKey = v))
            .addAttribute(Integer.class, a -> a.name(SUBJOBS_TOTAL).getter(i -> i.subJobsTotal).setter((i, v) -> i.subJobsTotal = v))
            .addAttribute(Integer.class, a -> a.name(SUBJOBS_RUNNING).getter(i -> i.subJobsRunning).setter((i, v) -> i.subJobsRunning = v))
            .addAttribute(Integer.class, a -> a.name(SUBJOBS_SUCCEEDED).getter(i -> i.subJobsSucceeded).setter((i, v) -> i.subJobsSucceeded = v))
            .addAttribute(Integer.class, a -> a.name(SUBJOBS_FAILED).getter(i -> i.subJobsFailed).setter((i, v) -> i.subJobsFailed = v))
            .addAttribute(Long.class, a -> a.name(USAGE_TRANSITIONS).getter(i -> i.usageTransitions).setter((i, v) -> i.usageTransitions = v))
            .addAttribute(Long.class, a -> a.name(USAGE_LAMBDA_INVOCATIONS).getter(i -> i.usageLambdaInvocations).setter((i, v) -> i.usageLambdaInvocations = v))
            .addAttribute(Long.class, a -> a.name(USAGE_LAMBDA_MB_MILLIS).getter(i -> i.usageLambdaMbMillis).setter((i, v) -> i.usageLambdaMbMillis = v))
            .addAttribute(Double.class, a -> a.name(USAGE_READ_UNITS).getter(i -> i.usageReadUnits).setter((i, v) -> i.usageReadUnits = v))
            .addAttribute(Double.class, a -> a.name(USAGE_WRITE_UNITS).getter(i -> i.usageWriteUnits).setter((i, v) -> i.usageWriteUnits = v))
            .addAttribute(Long.class, a -> a.name(USAGE_S3_CLASS_A).getter(i -> i.usageS3ClassA).setter((i, v) -> i.usageS3ClassA = v))
            .addAttribute(Long.class, a -> a.name(USAGE_S3_CLASS_B).getter(i -> i.usageS3ClassB).setter((i, v) -> i.usageS3ClassB = v))
            .addAttribute(Long.class, a -> a.name(USAGE_S3_BYTES).getter(i -> i.usageS3Bytes).setter((i, v) -> i.usageS3Bytes = v))
            .addAttribute(Long.class, a -> a.name(USAGE_EVENTS).getter(i -> i.usageEvents).setter((i, v) -> i.usageEvents = v))
            .addAttribute(Integer.class, a -> a.name(ATTEMPT).getter(i -> i.attempt).setter((i, v) -> i.attempt = v))
            .addAttribute(String.class, a -> a.name("attempts").getter(i -> i.attempts).setter((i, v) -> i.attempts = v))
            .addAttribute(String.class, a -> a.name("resultKey").getter(i -> i.resultKey).setter((i, v) -> i.resultKey = v))
            .addAttribute(String.class, a -> a.name("errorCode").getter(i -> i.errorCode).setter((i, v) -> i.errorCode = v))
            .addAttribute(String.class, a -> a.name("errorMessage").getter(i -> i.errorMessage).setter((i, v) -> i.errorMessage = v))
            .addAttribute(String.class, a -> a.name("createdAt").getter(i -> i.createdAt).setter((i, v) -> i.createdAt = v))
            .addAttribute(String.class, a -> a.name("updatedAt").getter(i -> i.updatedAt).setter((i, v) -> i.updatedAt = v))
            .addAttribute(Long.class, a -> a.name("retentionSeconds").getter(i -> i.retentionSeconds).setter((i, v) -> i.retentionSeconds = v))
            .addAttribute(Long.class, a -> a.name(VERSION).getter(i -> i.version).setter((i, v) -> i.version = v))
            .build();

    String jobId;
    String owner;
    String createdKey;
    String ownerStatus;
    String expiryShard;
    Long expiresAt;
    Long deleteAfter;
    String activeShard;
    Long changedAt;
    String program;
    String status;
    String parameters;
    String inputs;
    String dependsOn;
    String idempotencyKey;
    String executionName;
    Integer subJobsTotal;
    Integer subJobsRunning;
    Integer subJobsSucceeded;
    Integer subJobsFailed;
    Long usageTransitions;
    Long usageLambdaInvocations;
    Long usageLambdaMbMillis;
    Double usageReadUnits;
    Double usageWriteUnits;
    Long usageS3ClassA;
    Long usageS3ClassB;
    Long usageS3Bytes;
    Long usageEvents;
    /** The number of the current attempt (0 before the first), kept beside the history for conditions. */
    Integer attempt;
    String attempts;
    String resultKey;
    String errorCode;
    String errorMessage;
    String createdAt;
    String updatedAt;
    Long retentionSeconds;
    Long version;

    /** When DynamoDB's TTL may delete the job's item (epoch seconds); {@code null} while nothing lets it expire. */
    static Long deleteAfter(Job job) {
        return job.status().mayExpire() && job.expiresAt() != null
                ? job.expiresAt().plus(TTL_MARGIN).getEpochSecond() : null;
    }

    static JobItem from(Job job) {
        JobItem item = new JobItem();
        item.jobId = job.id();
        item.owner = job.owner();
        item.createdKey = createdKey(job.createdAt(), job.id());
        item.ownerStatus = ownerStatus(job.owner(), job.status());
        // Only jobs nothing runs are in the expiry index (a sparse index): the cleaner never sees a queued or running job.
        if (job.status().mayExpire() && job.expiresAt() != null) {
            item.expiryShard = expiryShard(job.id());
            item.expiresAt = job.expiresAt().getEpochSecond();
            item.deleteAfter = deleteAfter(job);
        }
        // Only jobs a workflow runs are in the last-change index (sparse too): the watchdog's sweep finds those whose
        // status has not changed for a while and asks Step Functions whether their execution still runs.
        if (!job.status().mayExpire()) {
            item.activeShard = activeShard(job.id());
            item.changedAt = job.updatedAt().getEpochSecond();
        }
        item.program = job.program();
        item.status = job.status().name();
        item.parameters = StoredJson.write(job.parameters());
        item.inputs = StoredJson.write(job.inputs());
        item.dependsOn = StoredJson.write(job.dependsOn());
        item.idempotencyKey = job.idempotencyKey();
        item.executionName = job.executionName();
        item.subJobsTotal = job.progress().total();
        item.subJobsRunning = job.progress().running();
        item.subJobsSucceeded = job.progress().succeeded();
        item.subJobsFailed = job.progress().failed();
        Usage u = job.usage();
        item.usageTransitions = u.transitions();
        item.usageLambdaInvocations = u.lambdaInvocations();
        item.usageLambdaMbMillis = u.lambdaMbMillis();
        item.usageReadUnits = u.readUnits();
        item.usageWriteUnits = u.writeUnits();
        item.usageS3ClassA = u.s3ClassA();
        item.usageS3ClassB = u.s3ClassB();
        item.usageS3Bytes = u.s3BytesWritten();
        item.usageEvents = u.events();
        item.attempt = job.attempts().size();
        item.attempts = StoredJson.write(job.attempts());
        item.resultKey = job.resultKey();
        if (job.error() != null) {
            item.errorCode = job.error().code();
            item.errorMessage = job.error().message();
        }
        item.createdAt = Timestamps.sortable(job.createdAt());
        item.updatedAt = Timestamps.sortable(job.updatedAt());
        item.retentionSeconds = job.retention().toSeconds();
        item.version = job.version();
        return item;
    }

    Job toJob() {
        return new Job(
                jobId,
                owner,
                program,
                StoredJson.read(parameters, PARAMETERS),
                StoredJson.read(inputs, INPUTS),
                StoredJson.read(dependsOn, IDS),
                idempotencyKey,
                executionName,
                JobStatus.valueOf(status),
                new Progress(orZero(subJobsTotal), orZero(subJobsRunning), orZero(subJobsSucceeded), orZero(subJobsFailed)),
                new Usage(orZero(usageTransitions), orZero(usageLambdaInvocations), orZero(usageLambdaMbMillis),
                        orZero(usageReadUnits), orZero(usageWriteUnits), orZero(usageS3ClassA), orZero(usageS3ClassB),
                        orZero(usageS3Bytes), orZero(usageEvents)),
                StoredJson.read(attempts, ATTEMPTS),
                resultKey,
                errorCode == null ? null : new JobError(errorCode, errorMessage),
                Timestamps.parse(createdAt),
                Timestamps.parse(updatedAt),
                Duration.ofSeconds(retentionSeconds),
                expiresAt == null ? null : Instant.ofEpochSecond(expiresAt),
                version);
    }

    static String createdKey(Instant createdAt, String jobId) {
        return Timestamps.sortable(createdAt) + "#" + jobId;
    }

    static String ownerStatus(String owner, JobStatus status) {
        return owner + "#" + status.name();
    }

    static String expiryShard(String jobId) {
        return "expiry#" + Math.floorMod(jobId.hashCode(), EXPIRY_SHARDS);
    }

    static String activeShard(String jobId) {
        return "active#" + Math.floorMod(jobId.hashCode(), ACTIVE_SHARDS);
    }

    private static int orZero(Integer n) {
        return n == null ? 0 : n;
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }

    private static double orZero(Double n) {
        return n == null ? 0 : n;
    }
}
