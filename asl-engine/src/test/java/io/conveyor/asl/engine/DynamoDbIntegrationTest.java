package io.conveyor.asl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.dynamodb.DynamoDbEmulator;
import io.conveyor.asl.LocalStepFunctions;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.task.LambdaInvoker;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The DynamoDB item integrations, carried out through the SDK against our DynamoDB emulator. */
class DynamoDbIntegrationTest {
  private static DynamoDbEmulator dynamoDbServer;
  private static LocalStepFunctions sfn;

  @BeforeAll
  static void start() {
    dynamoDbServer = DynamoDbEmulator.builder().start();
    var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("localaccess", "secret"));
    try (DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(dynamoDbServer.endpoint())
        .region(Region.US_EAST_1).credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build()) {
      dynamoDb.createTable(b -> b.tableName("things")
          .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
          .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
          .billingMode("PAY_PER_REQUEST"));
    }
    LambdaInvoker none = (name, payload) -> LambdaInvoker.LambdaResponse.ok(payload);
    sfn = LocalStepFunctions.builder().lambdaInvoker(none).endpoint("dynamodb", dynamoDbServer.endpoint())
        .credentials(creds).http(false).start();
  }

  @AfterAll
  static void stop() throws Exception {
    sfn.close();
    dynamoDbServer.close();
  }

  @Test
  void putUpdateGetAndDeleteItem_throughTheirIntegrations() throws Exception {
    var sm = sfn.service().register("ddb", """
        {"StartAt":"Put","States":{
          "Put":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","ResultPath":null,
            "Parameters":{"TableName":"things","Item":{"id":{"S.$":"$.id"},"n":{"N":"1"}}},"Next":"Update"},
          "Update":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem","ResultPath":"$.updated",
            "Parameters":{"TableName":"things","Key":{"id":{"S.$":"$.id"}},"UpdateExpression":"ADD n :two",
              "ExpressionAttributeValues":{":two":{"N":"2"}},"ReturnValues":"UPDATED_NEW"},"Next":"Get"},
          "Get":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem","ResultPath":"$.got",
            "Parameters":{"TableName":"things","Key":{"id":{"S.$":"$.id"}}},"Next":"Delete"},
          "Delete":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:deleteItem","ResultPath":"$.deleted",
            "Parameters":{"TableName":"things","Key":{"id":{"S.$":"$.id"}},"ReturnValues":"ALL_OLD"},"Next":"Gone"},
          "Gone":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem","ResultPath":"$.gone",
            "Parameters":{"TableName":"things","Key":{"id":{"S.$":"$.id"}}},"End":true}}}""", "STANDARD");
    Execution e = sfn.service().start(sm.arn(), null, JsonValues.parse("{\"id\":\"x1\"}"));
    e.completion().get(20, TimeUnit.SECONDS);
    assertEquals(ExecutionStatus.SUCCEEDED, e.status(), e.error() + ": " + e.cause());
    JsonNode out = e.output();
    assertEquals("3", out.at("/updated/Attributes/n/N").asText());
    assertEquals("3", out.at("/got/Item/n/N").asText());
    assertEquals("x1", out.at("/deleted/Attributes/id/S").asText());
    assertEquals(false, out.path("gone").has("Item"), "a missing item answers without one: " + out);
  }
}
