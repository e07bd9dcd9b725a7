package io.conveyor.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.FunctionSpec;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The shaded jar the stack deploys: every handler, only runtime dependencies, one HTTP client. */
class LambdaJarTest {

    @Test
    void containsEveryCatalogueHandler_andTheUrlConnectionClient() throws IOException {
        try (JarFile jar = new JarFile(Synthesized.lambdaJar().toFile())) {
            List<String> missing = new ArrayList<>();
            for (FunctionSpec spec : Catalogue.FUNCTIONS) {
                if (jar.getEntry(spec.handler().replace('.', '/') + ".class") == null) {
                    missing.add(spec.name() + " (" + spec.handler() + ")");
                }
            }
            assertEquals(List.of(), missing, "handlers the catalogue deploys but the jar lacks");
            assertNotNull(jar.getEntry("software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class"));
            String loggingBackend = new String(jar.getInputStream(jar.getEntry(
                    "META-INF/services/org.slf4j.spi.SLF4JServiceProvider")).readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("io.conveyor.logging.JsonLogProvider", loggingBackend.trim(), "the functions' JSON logging");
        }
    }

    @Test
    void leavesOutTestDependencies_andTheSdksOtherHttpClients() throws IOException {
        List<String> forbidden = List.of(
                "software/amazon/awssdk/http/apache/", "software/amazon/awssdk/http/nio/netty/", "io/netty/",
                "org/apache/http/", "org/junit/", "org/opentest4j/", "com/amazonaws/services/dynamodbv2/local/",
                "org/gaul/s3proxy/", "ch/qos/logback/", "org/yaml/snakeyaml/", "io/conveyor/emulators/",
                "log4j2-test.xml", "logback-test.xml", "events/iam-request.json",
                // Powertools and Log4j were replaced by io.conveyor.logging and io.conveyor.metrics (README).
                "org/apache/logging/", "software/amazon/lambda/powertools/", "software/amazon/cloudwatchlogs/",
                "io/burt/jmespath/", "org/joda/time/",
                // Invoke, PutEvents and the four Step Functions calls go through io.conveyor.aws.AwsHttpService: these
                // service modules are megabytes of model classes for operations the functions never call (README).
                "software/amazon/awssdk/services/lambda/", "software/amazon/awssdk/services/eventbridge/",
                "software/amazon/awssdk/services/sfn/");
        try (JarFile jar = new JarFile(Synthesized.lambdaJar().toFile())) {
            List<String> found = jar.stream().map(ZipEntry::getName)
                    .filter(name -> forbidden.stream().anyMatch(name::startsWith))
                    .limit(20)
                    .toList();
            assertEquals(List.of(), found, "the jar holds test-scope or unwanted classes");
        }
    }

    /**
     * The shade leaves out SDK classes the sync clients never use (functions/pom.xml). A class the jar still holds
     * that names one of them would fail when it is loaded or verified; only the async client interfaces may, in
     * static factories and defaults nothing calls ({@code S3AsyncClient.builder()}).
     */
    @Test
    void theSdkClassesLeftOut_areNamedOnlyByTheAsyncClientInterfaces() throws IOException {
        Pattern asyncInterface = Pattern.compile("software/amazon/awssdk/services/[a-z0-9]+/[A-Za-z0-9]+Async(Client|ClientBuilder)");
        Map<String, List<String>> dangling = new TreeMap<>();
        int scanned = 0;
        try (JarFile jar = new JarFile(Synthesized.lambdaJar().toFile())) {
            for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                String name = entry.getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/")) {
                    continue;
                }
                scanned++;
                String referrer = name.substring(0, name.length() - ".class".length());
                for (String named : classesNamedBy(jar.getInputStream(entry).readAllBytes())) {
                    if (named.startsWith("software/amazon/awssdk/services/") && jar.getEntry(named + ".class") == null
                            && !asyncInterface.matcher(referrer).matches()) {
                        dangling.computeIfAbsent(named, k -> new ArrayList<>()).add(referrer);
                    }
                }
            }
        }
        assertTrue(scanned > 5_000, "the jar holds the SDK: " + scanned + " classes");
        assertEquals(Map.of(), dangling, "classes left out of the jar but named by classes in it");
    }

    /** The classes a class file names: its constant pool's class entries, in internal form, arrays left out. */
    static List<String> classesNamedBy(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        in.skipBytes(8); // magic, minor and major version
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classNames = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNames.add(in.readUnsignedShort());
                case 8, 16, 19, 20 -> in.skipBytes(2);
                case 15 -> in.skipBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                case 5, 6 -> {
                    in.skipBytes(8);
                    i++; // a long or double takes two entries
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return classNames.stream().map(index -> utf8[index]).filter(n -> !n.startsWith("[")).toList();
    }

    /**
     * The budget: 15,500,000 bytes, functions/pom.xml's enforcer rule holds the same (15 MB until the move to SDK 2.59.1,
     * whose S3, DynamoDB and core modules are 0.85 MB larger than 2.41's).
     */
    @Test
    void isAtMost15AndAHalfMegabytes() throws IOException {
        long bytes = Files.size(Synthesized.lambdaJar());
        System.out.printf("Lambda jar: %,d bytes (%.1f MiB); the budget is 15.5 MB%n", bytes, bytes / 1048576.0);
        assertTrue(bytes <= 15_500_000L, "the Lambda jar grew to " + bytes + " bytes, over the 15.5 MB budget: "
                + "mvn dependency:tree -pl functions -Dscope=runtime shows what it carries");
    }
}
