package io.conveyor.usage;

import java.time.Duration;

/**
 * What a job (or one of its attempts) consumed of the services AWS bills per use. Values add up: the usage of a job
 * is the sum of what each invocation working on it measured.
 *
 * @param transitions        Step Functions state transitions, as Standard workflows are billed: one per state entered
 *                           and one per retry of a task, in the job's execution and in its map's child executions
 * @param lambdaInvocations  Lambda invocations of the product's functions on the job's behalf
 * @param lambdaMbMillis     each invocation's duration, rounded up to the millisecond as Lambda bills it, times the
 *                           function's configured memory in MB (so {@link #lambdaGbSeconds()} is exact)
 * @param readUnits          DynamoDB read request units, as {@code ConsumedCapacity} reported them
 * @param writeUnits         DynamoDB write request units, as {@code ConsumedCapacity} reported them
 * @param s3ClassA           S3 PUT, COPY, POST and LIST requests (presigned uploads included)
 * @param s3ClassB           S3 GET and other requests (presigned downloads, the Distributed Map's manifest read)
 * @param s3BytesWritten     bytes the job's objects hold in the bucket, written by it or uploaded for it
 * @param events             EventBridge events published about the job
 */
public record Usage(long transitions, long lambdaInvocations, long lambdaMbMillis, double readUnits, double writeUnits,
        long s3ClassA, long s3ClassB, long s3BytesWritten, long events) {

    public static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Megabyte-milliseconds in a gigabyte-second: Lambda's GB is 1,024 MB. */
    private static final double MB_MILLIS_PER_GB_SECOND = 1024.0 * 1000.0;
    /** Storage is billed per GB-month, a GB being 2^30 bytes and a month 730 hours on average. */
    static final double BYTES_PER_GB = 1L << 30;
    static final Duration MONTH = Duration.ofHours(730);

    public Usage plus(Usage other) {
        return new Usage(transitions + other.transitions, lambdaInvocations + other.lambdaInvocations,
                lambdaMbMillis + other.lambdaMbMillis, readUnits + other.readUnits, writeUnits + other.writeUnits,
                s3ClassA + other.s3ClassA, s3ClassB + other.s3ClassB, s3BytesWritten + other.s3BytesWritten,
                events + other.events);
    }

    public boolean isNone() {
        return equals(NONE);
    }

    public double lambdaGbSeconds() {
        return lambdaMbMillis / MB_MILLIS_PER_GB_SECOND;
    }

    /** The storage the job's objects hold when kept for {@code held}, in GB-months. */
    public double storageGbMonths(Duration held) {
        return s3BytesWritten / BYTES_PER_GB * held.toMillis() / MONTH.toMillis();
    }

    public static Usage transitions(long n) {
        return new Usage(n, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public static Usage dynamoDb(double readUnits, double writeUnits) {
        return new Usage(0, 0, 0, readUnits, writeUnits, 0, 0, 0, 0);
    }

    public static Usage s3(long classA, long classB, long bytesWritten) {
        return new Usage(0, 0, 0, 0, 0, classA, classB, bytesWritten, 0);
    }

    public static Usage events(long n) {
        return new Usage(0, 0, 0, 0, 0, 0, 0, 0, n);
    }

    static Usage lambda(long invocations, long mbMillis) {
        return new Usage(0, invocations, mbMillis, 0, 0, 0, 0, 0, 0);
    }
}
