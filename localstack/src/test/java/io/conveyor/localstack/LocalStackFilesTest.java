package io.conveyor.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the suite and the documented commands share, checked without Docker: the image in one place, the container
 * settings in one place, the deployment options the LocalStack stack needs, and how handed-out URLs are reached.
 */
class LocalStackFilesTest {
    private static final Path DIR = Path.of(System.getProperty("conveyor.localstack.dir", "."));

    @Test
    void theImage_isPinnedOnceInDotEnv_andComposeTakesItFromThere() throws Exception {
        assertEquals("localstack/localstack:4.14.0", LocalStackTarget.settings(DIR.resolve(".env")).get("LOCALSTACK_IMAGE"),
                "4.14.0 is the last image that runs without an auth token");
        String compose = Files.readString(DIR.resolve("compose.yaml"));
        assertTrue(compose.contains("image: ${LOCALSTACK_IMAGE}"), compose);
        assertEquals(1, compose.lines().filter(l -> l.trim().startsWith("image:")).count(), "one service, one image");
        assertTrue(compose.contains("LOCALSTACK_AUTH_TOKEN: ${LOCALSTACK_AUTH_TOKEN:-}"), "the token is passed through");
        assertTrue(compose.contains("env_file:") && compose.contains("- localstack.env"), "the container's settings");
        assertTrue(compose.contains("/var/run/docker.sock:/var/run/docker.sock"), "Lambda needs the Docker engine");
    }

    @Test
    void theContainersSettings_loadEveryServiceTheStackUses() {
        Map<String, String> settings = LocalStackTarget.settings(DIR.resolve("localstack.env"));
        List<String> services = List.of(settings.get("SERVICES").split(","));
        for (String service : List.of("cloudformation", "s3", "dynamodb", "lambda", "stepfunctions", "apigateway", "events",
                "iam", "sts", "ssm", "logs", "cloudwatch", "sns", "kms", "sqs")) {
            assertTrue(services.contains(service), service + " missing from SERVICES=" + settings.get("SERVICES"));
        }
        assertEquals("1", settings.get("LAMBDA_IGNORE_ARCHITECTURE"), "the arm64 functions run on any host");
        assertEquals("1", settings.get("S3_SKIP_SIGNATURE_VALIDATION"), "presigned URLs are reached at another host");
    }

    @Test
    void theDeployScript_usesThePinnedCdkCli_andTheDevelopmentTokenAuthoriser() throws Exception {
        String script = Files.readString(DIR.resolve("deploy.sh"));
        assertTrue(script.contains("CDK_CLI_VERSION=2.1148.1"), "the CLI version that reads aws-cdk-lib 2.263's assembly");
        assertTrue(script.contains("CDK_LOCAL_VERSION=3.0.4"));
        assertTrue(script.contains("-c conveyor:auth=devToken"), "the free image has no Cognito and enforces no IAM");
        assertTrue(script.contains("/restapis/${id}/${stage}/_user_request_/"), "the URL LocalStack serves the stage at");
    }

    @Test
    void aHandedOutUrl_isReachedThroughTheMappedPort_keepingPathAndSignature() {
        URI endpoint = URI.create("http://127.0.0.1:49153");
        URI presigned = URI.create("http://localhost.localstack.cloud:4566/conveyor-jobsbucket-1a2b/jobs/j-1/inputs/a%20b.txt"
                + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc%2Fdef");
        assertEquals("http://127.0.0.1:49153/conveyor-jobsbucket-1a2b/jobs/j-1/inputs/a%20b.txt"
                        + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc%2Fdef",
                LocalStackTarget.reachable(endpoint, presigned).toString());
    }
}
