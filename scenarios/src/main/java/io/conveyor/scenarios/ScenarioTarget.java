package io.conveyor.scenarios;

import io.conveyor.deployment.Resource;
import io.conveyor.apiclient.JobApiClient;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * A running deployment of the whole product that the scenario classes ({@link JobScenarios},
 * {@link AdmissionScenarios}, {@link ExpiryScenarios}, {@link RestartScenarios}, {@link ProgramFunctionScenarios}) drive as users do, over the job API.
 * One scenario suite, two targets: the local runtime ({@link LocalRuntimeTarget}, here) and the CDK stack deployed
 * to LocalStack (the {@code localstack} module). A scenario that needs what a target {@linkplain #lacks lacks} is
 * skipped there, with the reason.
 */
public interface ScenarioTarget {

    /** What a target may lack. */
    enum Capability {
        /**
         * The programs of {@link Scenarios#PROGRAMS}: {@link ScenarioProgram} registered through
         * {@code CONVEYOR_PROGRAMS}, with its invocations counted in one JVM across every function and attempt.
         */
        SCENARIO_PROGRAMS,
        /** One product-wide quota of one active job per program ({@code CONVEYOR_MAX_ACTIVE_JOBS_PER_PROGRAM=1}). */
        ONE_JOB_PER_PROGRAM,
        /** A restart that keeps every job and object ({@link #restart()}). */
        RESTART_ON_SAME_DATA,
        /**
         * The Node.js program of {@link ProgramFunctionScenarios}: its function {@value ProgramFunctionScenarios#FUNCTION}
         * run as a local command (the local runtime's {@code commandFunction}), and the program registered through
         * {@code CONVEYOR_PROGRAMS}.
         */
        NODE_PROGRAM_FUNCTION,
        /**
         * Step Functions' execution status changes reach the catalogue's rule on the default bus
         * ({@code Catalogue.EXECUTION_ENDED_RULE}), so a job whose workflow is stopped or fails abnormally fails.
         */
        EXECUTION_STATUS_EVENTS
    }

    /** The job API as {@code user} ({@code Authorization: Bearer <user>}). */
    JobApiClient api(String user);

    /** Why this target lacks {@code capability}, or empty when it has it. */
    Optional<String> lacks(Capability capability);

    /** Stops and starts the whole deployment again on the same data; only with {@link Capability#RESTART_ON_SAME_DATA}. */
    void restart();

    /** Runs the cleaner now, as its schedule does, and returns when the run has finished. */
    void runCleaner();

    /** Waits until the product has published an event that names {@code jobId}, or fails after {@code timeout}. */
    void awaitEventAbout(String jobId, Duration timeout);

    /** The physical name of a table or the bucket. */
    String physicalName(Resource resource);

    /** The ARN of the state machine named {@code name}. */
    String stateMachineArn(String name);

    /** A new DynamoDB client for the deployment's tables; the caller closes it. */
    DynamoDbClient dynamoDb();

    /** A new S3 client for the deployment's bucket; the caller closes it. */
    S3Client s3();

    /** A new Step Functions client for the deployment's state machines; the caller closes it. */
    SfnClient stepFunctions();
}
