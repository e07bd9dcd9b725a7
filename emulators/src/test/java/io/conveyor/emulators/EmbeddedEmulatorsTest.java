package io.conveyor.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.dynamodb.DynamoDbEmulator;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;

class EmbeddedEmulatorsTest {
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("emulatortest", "secret"));

    private static DynamoDbClient dynamoDb(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static S3Client s3(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** An address of this machine other than loopback, if it has one. */
    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (!address.isLoopbackAddress() && address instanceof java.net.Inet4Address) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }

    private static void assertLoopbackOnly(URI endpoint) throws Exception {
        assertEquals("127.0.0.1", endpoint.getHost());
        Optional<InetAddress> other = nonLoopbackAddress();
        if (other.isPresent()) {
            try (Socket socket = new Socket()) {
                assertThrows(ConnectException.class,
                        () -> socket.connect(new InetSocketAddress(other.get(), endpoint.getPort()), 2000),
                        "the emulator must not be reachable on " + other.get());
            }
        }
    }

    @Test
    void dynamoDb_onDisk_keepsTablesAcrossARestart_andListensOnLoopbackOnly(@TempDir Path dir) throws Exception {
        try (DynamoDbEmulator server = DynamoDbEmulator.builder().dataDirectory(dir).start()) {
            assertLoopbackOnly(server.endpoint());
            DynamoDbClient client = dynamoDb(server.endpoint());
            client.createTable(b -> b.tableName("things")
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                    .billingMode("PAY_PER_REQUEST"));
            client.putItem(b -> b.tableName("things").item(Map.of("id", AttributeValue.fromS("kept"))));
        }
        try (DynamoDbEmulator server = DynamoDbEmulator.builder().dataDirectory(dir).start()) {
            Map<String, AttributeValue> item = dynamoDb(server.endpoint())
                    .getItem(b -> b.tableName("things").key(Map.of("id", AttributeValue.fromS("kept")))).item();
            assertEquals("kept", item.get("id").s());
        }
    }

    @Test
    void s3_onDisk_keepsObjectsAcrossARestart_andListensOnLoopbackOnly(@TempDir Path dir) throws Exception {
        try (EmbeddedS3 server = EmbeddedS3.onDisk(dir, "emulatortest", "secret", 0)) {
            assertLoopbackOnly(server.endpoint());
            S3Client client = s3(server.endpoint());
            client.createBucket(b -> b.bucket("bucket"));
            client.putObject(b -> b.bucket("bucket").key("a/b.txt"), RequestBody.fromString("kept"));
        }
        try (EmbeddedS3 server = EmbeddedS3.onDisk(dir, "emulatortest", "secret", 0)) {
            String content = s3(server.endpoint()).getObjectAsBytes(b -> b.bucket("bucket").key("a/b.txt")).asUtf8String();
            assertEquals("kept", content);
        }
    }

    @Test
    void s3_refusesOtherCredentials() {
        try (EmbeddedS3 server = EmbeddedS3.inMemory("emulatortest", "secret")) {
            S3Client intruder = S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                    .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("emulatortest", "wrong")))
                    .build();
            software.amazon.awssdk.services.s3.model.S3Exception e = assertThrows(
                    software.amazon.awssdk.services.s3.model.S3Exception.class, () -> intruder.listBuckets());
            assertTrue(e.statusCode() == 403, "status " + e.statusCode());
        }
    }
}
