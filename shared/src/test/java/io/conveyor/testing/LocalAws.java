package io.conveyor.testing;

import io.conveyor.admission.ActiveJobCounters;
import io.conveyor.admission.WaitlistStore;
import io.conveyor.config.AwsClients;
import io.conveyor.config.HttpClientChoice;
import io.conveyor.config.Settings;
import io.conveyor.deployment.Catalogue;
import io.conveyor.dynamodb.DynamoDbEmulator;
import io.conveyor.emulators.EmbeddedS3;
import io.conveyor.idempotency.IdempotencyStore;
import io.conveyor.job.JobStore;
import io.conveyor.persistence.TableSpec;
import io.conveyor.persistence.TableProvisioner;
import io.conveyor.subjob.SubJobStore;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Our DynamoDB emulator and S3Proxy, started once per test JVM on loopback ports, and a fresh, isolated set of
 * tables and a bucket per {@link #newDeployment()}. The SDK finds them through its standard endpoint settings
 * (the {@code aws.endpointUrl*} system properties, the twins of {@code AWS_ENDPOINT_URL_*}), so the code under
 * test builds its clients exactly as it does on AWS.
 */
public final class LocalAws {
    public static final String REGION = "us-east-1";
    private static final String ACCESS_KEY = "conveyortest";
    private static final String SECRET_KEY = "conveyortestsecret";

    private static LocalAws instance;

    private final DynamoDbEmulator dynamoDbServer;
    private final EmbeddedS3 s3Server;

    private LocalAws() {
        // No TTL sweep: the tests run on a fixed clock, so the expiry their items carry lies in the real past.
        dynamoDbServer = DynamoDbEmulator.builder().start();
        s3Server = EmbeddedS3.inMemory(ACCESS_KEY, SECRET_KEY);
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        System.setProperty("aws.region", REGION);
        System.setProperty("aws.endpointUrlDynamoDb", dynamoDbServer.endpoint().toString());
        System.setProperty("aws.endpointUrlS3", s3Server.endpoint().toString());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s3Server.close();
            dynamoDbServer.close();
        }, "local-aws-shutdown"));
    }

    /** The emulators of this JVM, started on first use. */
    public static synchronized LocalAws get() {
        if (instance == null) {
            instance = new LocalAws();
        }
        return instance;
    }

    /** A deployment of its own: uniquely named tables and bucket, created now, and clients for them. */
    public Deployment newDeployment() {
        return newDeployment(Map.of());
    }

    /** As {@link #newDeployment()}, with further settings (for example quotas) in {@code extraEnvironment}. */
    public Deployment newDeployment(Map<String, String> extraEnvironment) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = new HashMap<>(extraEnvironment);
        env.put("AWS_REGION", REGION);
        env.put("CONVEYOR_HTTP_CLIENT", HttpClientChoice.APACHE.settingValue());
        env.put("AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString());
        env.put("CONVEYOR_BUCKET", "conveyor-" + suffix);
        for (TableSpec table : Catalogue.TABLES) {
            env.put(table.settingName(), table.logicalName() + "-" + suffix);
        }
        Settings settings = Settings.from(env);
        AwsClients clients = new AwsClients(settings);
        Deployment deployment = new Deployment(settings, clients.dynamoDb(), clients.s3(), clients.s3Presigner());
        TableProvisioner provisioner = new TableProvisioner(deployment.dynamoDb());
        for (TableSpec table : Catalogue.TABLES) {
            provisioner.create(table, env.get(table.settingName()));
        }
        deployment.s3().createBucket(b -> b.bucket(settings.bucket()));
        return deployment;
    }

    /** Settings and clients of one isolated deployment. */
    public record Deployment(Settings settings, DynamoDbClient dynamoDb, S3Client s3, S3Presigner presigner) {
        public JobStore jobs() {
            return new JobStore(dynamoDb, settings.jobsTable());
        }

        public SubJobStore subJobs() {
            return new SubJobStore(dynamoDb, settings.subJobsTable(), jobs());
        }

        public ActiveJobCounters counters() {
            return new ActiveJobCounters(dynamoDb, settings.countersTable());
        }

        public WaitlistStore waitlist() {
            return new WaitlistStore(dynamoDb, settings.waitlistTable());
        }

        public IdempotencyStore idempotency() {
            return new IdempotencyStore(dynamoDb, settings.idempotencyTable());
        }
    }
}
