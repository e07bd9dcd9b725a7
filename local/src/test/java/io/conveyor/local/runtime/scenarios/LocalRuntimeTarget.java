package io.conveyor.local.runtime.scenarios;

import io.conveyor.scenarios.ScenarioTarget;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.Resource;
import io.conveyor.apiclient.JobApiClient;
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
 * JVM, every capability.
 */
final class LocalRuntimeTarget implements ScenarioTarget {
    private final LocalRuntimeExtension runtime;

    LocalRuntimeTarget(LocalRuntimeExtension runtime) {
        this.runtime = runtime;
    }

    @Override
    public JobApiClient api(String user) {
        return runtime.api(user);
    }

    /**
     * Nothing: the local runtime can be started with every capability, so a test class that forgets one (the
     * scenario programs, the quota, a data directory) fails its scenarios rather than skipping them.
     */
    @Override
    public Optional<String> lacks(Capability capability) {
        return Optional.empty();
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
