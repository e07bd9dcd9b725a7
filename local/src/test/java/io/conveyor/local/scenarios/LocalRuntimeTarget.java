package io.conveyor.local.scenarios;

import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.Resource;
import io.conveyor.local.runtime.LocalApiClient;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.lambda.Invocation;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The scenarios' target on the local runtime of a test class ({@link LocalRuntimeExtension}): everything in this
 * JVM, so it has every capability the runtime was started with.
 */
final class LocalRuntimeTarget implements ScenarioTarget {
    private final LocalRuntimeExtension runtime;

    LocalRuntimeTarget(LocalRuntimeExtension runtime) {
        this.runtime = runtime;
    }

    @Override
    public LocalApiClient api(String user) {
        return runtime.api(user);
    }

    @Override
    public Optional<String> lacks(Capability capability) {
        LocalRuntime r = runtime.runtime();
        return switch (capability) {
            case SCENARIO_PROGRAMS -> Scenarios.PROGRAMS.equals(r.options().environment().get("CONVEYOR_PROGRAMS"))
                    ? Optional.empty() : Optional.of("this runtime was started without CONVEYOR_PROGRAMS=Scenarios.PROGRAMS");
            case ONE_JOB_PER_PROGRAM -> "1".equals(r.options().environment().get("CONVEYOR_MAX_ACTIVE_JOBS_PER_PROGRAM"))
                    ? Optional.empty() : Optional.of("this runtime was started without CONVEYOR_MAX_ACTIVE_JOBS_PER_PROGRAM=1");
            case RESTART_ON_SAME_DATA -> r.options().dataDir().isPresent()
                    ? Optional.empty() : Optional.of("this runtime keeps its data in memory (no data directory)");
        };
    }

    @Override
    public void restart() {
        runtime.restart();
    }

    @Override
    public void runCleaner() {
        Invocation run = runtime.runtime().scheduler().fire(Catalogue.CLEANER_SCHEDULE.name());
        if (run == null || run.failed()) {
            throw new AssertionError("the cleaner's run failed: " + (run == null ? "not invoked (see the log)" : run.payload()));
        }
    }

    @Override
    public void awaitEventAbout(String jobId, Duration timeout) {
        runtime.runtime().events().await(e -> e.toString().contains(jobId), timeout);
    }

    @Override
    public String physicalName(Resource resource) {
        return runtime.runtime().deployment().resourceNames().get(resource);
    }

    @Override
    public String stateMachineArn(String name) {
        return runtime.runtime().deployment().stateMachineArn(name);
    }

    @Override
    public DynamoDbClient dynamoDb() {
        LocalRuntime r = runtime.runtime();
        return DynamoDbClient.builder().endpointOverride(r.endpoints().dynamoDb())
                .region(Region.of(r.options().region())).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Override
    public S3Client s3() {
        LocalRuntime r = runtime.runtime();
        return S3Client.builder().endpointOverride(r.endpoints().s3()).forcePathStyle(true)
                .region(Region.of(r.options().region())).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Override
    public SfnClient stepFunctions() {
        LocalRuntime r = runtime.runtime();
        return SfnClient.builder().endpointOverride(r.endpoints().stepFunctions())
                .region(Region.of(r.options().region())).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalRuntime.ACCESS_KEY, LocalRuntime.SECRET_KEY));
    }

    @Override
    public String toString() {
        return "the local runtime";
    }
}
