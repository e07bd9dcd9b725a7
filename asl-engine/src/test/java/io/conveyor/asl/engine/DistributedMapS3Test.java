package io.conveyor.asl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.LocalStepFunctions;
import io.conveyor.asl.Poll;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.task.LambdaInvoker;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Distributed Map ItemReader (JSON, CSV, listing) and ResultWriter against S3Proxy, a real S3 API server. */
class DistributedMapS3Test {

  private static final String KEY = "local-access";
  private static final String SECRET = "local-secret";
  private static S3Proxy proxy;
  private static S3Client s3;
  private static LocalStepFunctions sfn;

  @BeforeAll
  static void start() throws Exception {
    proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET).build();
    proxy.start();
    Poll.until(proxy::getState, "STARTED"::equals, Duration.ofSeconds(10));
    URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET));
    s3 = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
        .credentialsProvider(creds).httpClient(UrlConnectionHttpClient.builder().build()).build();
    s3.createBucket(b -> b.bucket("data"));
    s3.putObject(b -> b.bucket("data").key("items.json"), RequestBody.fromString("[{\"n\":1},{\"n\":2},{\"n\":3}]"));
    s3.putObject(b -> b.bucket("data").key("rows.csv"),
        RequestBody.fromString("id,name\n1,\"Smith, Ann\"\n2,Bob\n"));
    s3.putObject(b -> b.bucket("data").key("in/a.txt"), RequestBody.fromString("a"));
    s3.putObject(b -> b.bucket("data").key("in/b.txt"), RequestBody.fromString("bb"));
    LambdaInvoker echo = (name, payload) -> LambdaInvoker.LambdaResponse.ok(payload);
    sfn = LocalStepFunctions.builder().lambdaInvoker(echo).endpoint("s3", endpoint).credentials(creds)
        .http(false).start();
  }

  @AfterAll
  static void stop() throws Exception {
    sfn.close();
    s3.close();
    proxy.stop();
  }

  private static Execution run(String definition, String input) throws Exception {
    var sm = sfn.service().register("m" + Math.abs(definition.hashCode()), definition, "STANDARD");
    Execution e = sfn.service().start(sm.arn(), null, JsonValues.parse(input));
    e.completion().get(20, TimeUnit.SECONDS);
    assertEquals(ExecutionStatus.SUCCEEDED, e.status(), e.error() + ": " + e.cause());
    return e;
  }

  @Test
  void itemReader_jsonArray_feedsEveryItemToChildWorkflows() throws Exception {
    Execution e = run("""
        {"StartAt":"Map","States":{"Map":{"Type":"Map","End":true,
          "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},
            "Parameters":{"Bucket":"data","Key.$":"$.key"}},
          "ItemSelector":{"value.$":"$$.Map.Item.Value.n","index.$":"$$.Map.Item.Index"},
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
            "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}""", "{\"key\":\"items.json\"}");
    assertEquals(JsonValues.parse("[{\"value\":1,\"index\":0},{\"value\":2,\"index\":1},{\"value\":3,\"index\":2}]"),
        e.output());
    MapRun run = sfn.engine().mapRuns(e.executionArn()).get(0);
    assertEquals("SUCCEEDED", run.status());
    assertEquals(3, run.items().succeeded());
    assertEquals(3, run.executions().succeeded());
  }

  @Test
  void itemReader_csvWithHeaderRow_andItemBatcher() throws Exception {
    Execution e = run("""
        {"StartAt":"Map","States":{"Map":{"Type":"Map","End":true,
          "ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
            "ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},
            "Parameters":{"Bucket":"data","Key":"rows.csv"}},
          "ItemBatcher":{"MaxItemsPerBatch":5},
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
            "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}""", "{}");
    assertEquals(JsonValues.parse("[{\"Items\":[{\"id\":\"1\",\"name\":\"Smith, Ann\"},{\"id\":\"2\",\"name\":\"Bob\"}]}]"),
        e.output());
    MapRun run = sfn.engine().mapRuns(e.executionArn()).get(0);
    assertEquals(2, run.items().succeeded(), "items count every item of a batch");
    assertEquals(1, run.executions().succeeded(), "executions count the batch once");
  }

  @Test
  void itemReader_listObjects_andResultWriter_writesEachChildExecutionToS3ByStatus() throws Exception {
    Execution e = run("""
        {"StartAt":"Map","States":{"Map":{"Type":"Map","End":true,"ToleratedFailureCount":1,
          "ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","Parameters":{"Bucket":"data","Prefix":"in/"}},
          "ItemSelector":{"key.$":"$$.Map.Item.Value.Key","size.$":"$$.Map.Item.Value.Size"},
          "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"data","Prefix":"out"}},
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
            "StartAt":"Size","States":{
              "Size":{"Type":"Choice","Choices":[{"Variable":"$.size","NumericEquals":2,"Next":"TooBig"}],
                "Default":"P"},
              "TooBig":{"Type":"Fail","Error":"Item.TooBig","Cause":"two bytes"},
              "P":{"Type":"Pass","End":true}}}}}}""", "{}");
    JsonNode details = e.output().get("ResultWriterDetails");
    assertEquals("data", details.get("Bucket").asText());
    String manifestKey = details.get("Key").asText();
    assertTrue(manifestKey.startsWith("out/") && manifestKey.endsWith("/manifest.json"), manifestKey);
    JsonNode manifest = JsonValues.parse(s3.getObjectAsBytes(b -> b.bucket("data").key(manifestKey)).asUtf8String());
    MapRun run = sfn.engine().mapRuns(e.executionArn()).get(0);
    assertEquals(run.mapRunArn(), manifest.get("MapRunArn").asText());

    JsonNode succeeded = resultFile(manifest, "SUCCEEDED");
    assertEquals(1, succeeded.size());
    JsonNode ok = succeeded.get(0);
    assertEquals(JsonValues.parse("{\"key\":\"in/a.txt\",\"size\":1}"), JsonValues.parse(ok.get("Output").asText()));
    assertEquals("SUCCEEDED", ok.get("Status").asText());
    Execution child = sfn.engine().execution(ok.get("ExecutionArn").asText());
    assertEquals(run.mapRunArn(), child.mapRunArn());
    assertEquals(child.name(), ok.get("Name").asText());
    assertEquals(JsonValues.write(child.input()), ok.get("Input").asText());
    assertEquals(run.stateMachineArn(), ok.get("StateMachineArn").asText());

    JsonNode failed = resultFile(manifest, "FAILED");
    assertEquals(1, failed.size());
    assertEquals("FAILED", failed.get(0).get("Status").asText());
    assertEquals("Item.TooBig", failed.get(0).get("Error").asText());
    assertEquals("two bytes", failed.get(0).get("Cause").asText());
    assertTrue(manifest.get("ResultFiles").get("PENDING").isEmpty());
  }

  private static JsonNode resultFile(JsonNode manifest, String status) {
    JsonNode files = manifest.get("ResultFiles").get(status);
    assertEquals(1, files.size(), status);
    String key = files.get(0).get("Key").asText();
    String text = s3.getObjectAsBytes(b -> b.bucket("data").key(key)).asUtf8String();
    assertEquals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, files.get(0).get("Size").asInt());
    return JsonValues.parse(text);
  }

  @Test
  void s3Integrations_putThenGetObject() throws Exception {
    Execution e = run("""
        {"StartAt":"Put","States":{
          "Put":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:putObject",
            "Parameters":{"Bucket":"data","Key":"written.json","Body.$":"$"},"ResultPath":null,"Next":"Get"},
          "Get":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:getObject",
            "Parameters":{"Bucket":"data","Key":"written.json"},
            "ResultSelector":{"body.$":"States.StringToJson($.Body)"},"End":true}}}""", "{\"hello\":\"s3\"}");
    assertEquals(JsonValues.parse("{\"body\":{\"hello\":\"s3\"}}"), e.output());
  }
}
