package io.conveyor.asl.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.engine.DistributedMapStorage;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.engine.TaskRequest;
import io.conveyor.asl.json.JsonValues;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * Step Functions service integrations carried out with the AWS SDK: DynamoDB item operations, S3 get/put (and the
 * S3 access of Distributed Maps), EventBridge PutEvents and Step Functions StartExecution (with {@code .sync}).
 */
public final class AwsIntegrations {

  private AwsIntegrations() {
  }

  /** Registers every integration on the dispatcher. */
  public static TaskDispatcher registerAll(TaskDispatcher d, TaskClients clients) {
    d.register("arn:aws:states:::dynamodb:getItem", r -> call("DynamoDB", () -> {
      JsonNode p = r.parameters();
      var resp = clients.dynamodb().getItem(b -> b.tableName(p.path("TableName").asText()).key(item(p.get("Key")))
          .consistentRead(p.has("ConsistentRead") ? p.get("ConsistentRead").asBoolean() : null)
          .projectionExpression(text(p, "ProjectionExpression"))
          .expressionAttributeNames(names(p.get("ExpressionAttributeNames"))));
      ObjectNode out = JsonValues.object();
      if (resp.hasItem() && resp.item() != null && !resp.item().isEmpty()) {
        out.set("Item", toJson(resp.item()));
      }
      return out;
    }));
    d.register("arn:aws:states:::dynamodb:putItem", r -> call("DynamoDB", () -> {
      JsonNode p = r.parameters();
      var resp = clients.dynamodb().putItem(b -> b.tableName(p.path("TableName").asText()).item(item(p.get("Item")))
          .conditionExpression(text(p, "ConditionExpression"))
          .expressionAttributeNames(names(p.get("ExpressionAttributeNames")))
          .expressionAttributeValues(values(p))
          .returnValues(text(p, "ReturnValues")));
      return attributesOutput(resp.hasAttributes() ? resp.attributes() : null);
    }));
    d.register("arn:aws:states:::dynamodb:updateItem", r -> call("DynamoDB", () -> {
      JsonNode p = r.parameters();
      var resp = clients.dynamodb().updateItem(b -> b.tableName(p.path("TableName").asText())
          .key(item(p.get("Key"))).updateExpression(text(p, "UpdateExpression"))
          .conditionExpression(text(p, "ConditionExpression"))
          .expressionAttributeNames(names(p.get("ExpressionAttributeNames")))
          .expressionAttributeValues(values(p))
          .returnValues(text(p, "ReturnValues")));
      return attributesOutput(resp.hasAttributes() ? resp.attributes() : null);
    }));
    d.register("arn:aws:states:::dynamodb:deleteItem", r -> call("DynamoDB", () -> {
      JsonNode p = r.parameters();
      var resp = clients.dynamodb().deleteItem(b -> b.tableName(p.path("TableName").asText())
          .key(item(p.get("Key"))).conditionExpression(text(p, "ConditionExpression"))
          .expressionAttributeNames(names(p.get("ExpressionAttributeNames")))
          .expressionAttributeValues(values(p))
          .returnValues(text(p, "ReturnValues")));
      return attributesOutput(resp.hasAttributes() ? resp.attributes() : null);
    }));
    d.register("arn:aws:states:::aws-sdk:s3:getObject", r -> call("S3", () -> {
      JsonNode p = r.parameters();
      var bytes = clients.s3().getObjectAsBytes(b -> b.bucket(p.path("Bucket").asText()).key(p.path("Key").asText()));
      ObjectNode out = JsonValues.object();
      out.put("Body", bytes.asUtf8String());
      out.put("ContentLength", bytes.response().contentLength());
      out.put("ContentType", bytes.response().contentType());
      out.put("ETag", bytes.response().eTag());
      return out;
    }));
    d.register("arn:aws:states:::aws-sdk:s3:putObject", r -> call("S3", () -> {
      JsonNode p = r.parameters();
      JsonNode body = p.get("Body");
      String text = body == null ? "" : body.isTextual() ? body.textValue() : JsonValues.write(body);
      var resp = clients.s3().putObject(b -> b.bucket(p.path("Bucket").asText()).key(p.path("Key").asText()),
          RequestBody.fromString(text));
      ObjectNode out = JsonValues.object();
      out.put("ETag", resp.eTag());
      return out;
    }));
    d.register("arn:aws:states:::events:putEvents", r -> call("EventBridge", () -> {
      List<PutEventsRequestEntry> entries = new ArrayList<>();
      for (JsonNode e : r.parameters().path("Entries")) {
        JsonNode detail = e.get("Detail");
        entries.add(PutEventsRequestEntry.builder().source(text(e, "Source")).detailType(text(e, "DetailType"))
            .eventBusName(text(e, "EventBusName"))
            .detail(detail == null ? null : detail.isTextual() ? detail.textValue() : JsonValues.write(detail)).build());
      }
      PutEventsResponse resp = clients.events().putEvents(b -> b.entries(entries));
      ObjectNode out = JsonValues.object();
      ArrayNode arr = JsonValues.array();
      resp.entries().forEach(x -> {
        ObjectNode o = JsonValues.object();
        if (x.eventId() != null) {
          o.put("EventId", x.eventId());
        }
        if (x.errorCode() != null) {
          o.put("ErrorCode", x.errorCode());
          o.put("ErrorMessage", x.errorMessage());
        }
        arr.add(o);
      });
      out.set("Entries", arr);
      out.put("FailedEntryCount", resp.failedEntryCount());
      if (resp.failedEntryCount() != null && resp.failedEntryCount() > 0) {
        throw new StatesError("EventBridge.FailedEntry", JsonValues.write(out));
      }
      return out;
    }));
    TaskDispatcher.Integration start = r -> call("StepFunctions", () -> startExecution(clients, r));
    d.register("arn:aws:states:::states:startExecution", start);
    return d;
  }

  /** DynamoDB's answer as the integration returns it: {@code Attributes} only when the call returned some. */
  private static ObjectNode attributesOutput(Map<String, AttributeValue> attributes) {
    ObjectNode out = JsonValues.object();
    if (attributes != null && !attributes.isEmpty()) {
      out.set("Attributes", toJson(attributes));
    }
    return out;
  }

  private static Map<String, AttributeValue> values(JsonNode p) {
    return p.has("ExpressionAttributeValues") ? item(p.get("ExpressionAttributeValues")) : null;
  }

  private static JsonNode startExecution(TaskClients clients, TaskRequest r) {
    JsonNode p = r.parameters();
    JsonNode input = p.get("Input");
    String in = input == null ? "{}" : input.isTextual() ? input.textValue() : JsonValues.write(input);
    StartExecutionResponse resp = clients.sfn().startExecution(b -> b.stateMachineArn(text(p, "StateMachineArn"))
        .name(text(p, "Name")).input(in));
    ObjectNode out = JsonValues.object();
    out.put("ExecutionArn", resp.executionArn());
    out.put("StartDate", resp.startDate().toEpochMilli());
    if (!r.resource().contains(".sync")) {
      return out;
    }
    // .sync: poll the child until it ends; this runs on the dispatcher's I/O pool, never on engine workers.
    while (true) {
      DescribeExecutionResponse de = clients.sfn().describeExecution(b -> b.executionArn(resp.executionArn()));
      if (de.status() != ExecutionStatus.RUNNING) {
        if (de.status() != ExecutionStatus.SUCCEEDED) {
          throw new StatesError("States.TaskFailed", "Child execution " + resp.executionArn() + " ended "
              + de.status() + (de.error() == null ? "" : ": " + de.error() + " " + de.cause()));
        }
        ObjectNode o = JsonValues.object();
        o.put("ExecutionArn", de.executionArn());
        o.put("Name", de.name());
        o.put("StateMachineArn", de.stateMachineArn());
        o.put("Status", de.statusAsString());
        o.put("StartDate", de.startDate().toEpochMilli());
        o.put("StopDate", de.stopDate().toEpochMilli());
        boolean v2 = r.resource().endsWith(".sync:2");
        o.set("Input", v2 ? JsonValues.parse(de.input()) : JsonValues.text(de.input()));
        o.set("Output", v2 ? JsonValues.parse(de.output()) : JsonValues.text(de.output()));
        return o;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StatesError("States.TaskFailed", "Interrupted while waiting for " + resp.executionArn());
      }
    }
  }

  /** An {@link DistributedMapStorage} on the SDK's S3 client, for Distributed Map readers and writers. */
  public static DistributedMapStorage objectStore(TaskClients clients) {
    return new DistributedMapStorage() {
      @Override
      public byte[] get(String bucket, String key) {
        return clients.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
      }

      @Override
      public void put(String bucket, String key, byte[] body) {
        clients.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
      }

      @Override
      public List<Listed> list(String bucket, String prefix) {
        List<Listed> out = new ArrayList<>();
        String token = null;
        do {
          ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
          if (token != null) {
            req.continuationToken(token);
          }
          ListObjectsV2Response resp = clients.s3().listObjectsV2(req.build());
          for (S3Object o : resp.contents()) {
            out.add(new Listed(o.key(), o.eTag(), o.size(), o.lastModified().toString(),
                o.storageClassAsString() == null ? "STANDARD" : o.storageClassAsString()));
          }
          token = Boolean.TRUE.equals(resp.isTruncated()) ? resp.nextContinuationToken() : null;
        } while (token != null);
        return out;
      }
    };
  }

  private static JsonNode call(String service, Supplier<JsonNode> s) {
    try {
      return s.get();
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? "Exception" : e.awsErrorDetails().errorCode();
      throw new StatesError(service + "." + code, e.awsErrorDetails() == null ? e.getMessage()
          : e.awsErrorDetails().errorMessage() + " (Service: " + service + ", Status Code: " + e.statusCode()
              + ", Request ID: " + e.requestId() + ")");
    }
  }

  private static String text(JsonNode n, String f) {
    JsonNode v = n.get(f);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Map<String, String> names(JsonNode n) {
    if (n == null || !n.isObject()) {
      return null;
    }
    Map<String, String> m = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  /** DynamoDB JSON ({"S": ...}, {"N": ...}, ...) to SDK attribute values. */
  static Map<String, AttributeValue> item(JsonNode n) {
    Map<String, AttributeValue> m = new LinkedHashMap<>();
    if (n != null) {
      n.fields().forEachRemaining(e -> m.put(e.getKey(), attr(e.getValue())));
    }
    return m;
  }

  static AttributeValue attr(JsonNode v) {
    Iterator<Map.Entry<String, JsonNode>> it = v.fields();
    if (!it.hasNext()) {
      throw new StatesError("DynamoDB.ValidationException", "Invalid attribute value: " + JsonValues.write(v));
    }
    Map.Entry<String, JsonNode> e = it.next();
    JsonNode x = e.getValue();
    return switch (e.getKey()) {
      case "S" -> AttributeValue.fromS(x.asText());
      case "N" -> AttributeValue.fromN(x.asText());
      case "BOOL" -> AttributeValue.fromBool(x.asBoolean());
      case "NULL" -> AttributeValue.fromNul(x.asBoolean());
      case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(x.asText())));
      case "M" -> AttributeValue.fromM(item(x));
      case "L" -> {
        List<AttributeValue> l = new ArrayList<>();
        x.forEach(y -> l.add(attr(y)));
        yield AttributeValue.fromL(l);
      }
      case "SS" -> {
        List<String> l = new ArrayList<>();
        x.forEach(y -> l.add(y.asText()));
        yield AttributeValue.fromSs(l);
      }
      case "NS" -> {
        List<String> l = new ArrayList<>();
        x.forEach(y -> l.add(y.asText()));
        yield AttributeValue.fromNs(l);
      }
      default -> throw new StatesError("DynamoDB.ValidationException", "Unsupported attribute type " + e.getKey());
    };
  }

  static ObjectNode toJson(Map<String, AttributeValue> item) {
    ObjectNode o = JsonValues.object();
    item.forEach((k, v) -> o.set(k, toJson(v)));
    return o;
  }

  static ObjectNode toJson(AttributeValue v) {
    ObjectNode o = JsonValues.object();
    switch (v.type()) {
      case S -> o.put("S", v.s());
      case N -> o.put("N", v.n());
      case BOOL -> o.put("BOOL", v.bool());
      case NUL -> o.put("NULL", true);
      case B -> o.put("B", Base64.getEncoder().encodeToString(v.b().asByteArray()));
      case M -> o.set("M", toJson(v.m()));
      case L -> {
        ArrayNode a = JsonValues.array();
        v.l().forEach(x -> a.add(toJson(x)));
        o.set("L", a);
      }
      case SS -> {
        ArrayNode a = JsonValues.array();
        v.ss().forEach(a::add);
        o.set("SS", a);
      }
      case NS -> {
        ArrayNode a = JsonValues.array();
        v.ns().forEach(a::add);
        o.set("NS", a);
      }
      default -> o.put("S", String.valueOf(v));
    }
    return o;
  }
}
