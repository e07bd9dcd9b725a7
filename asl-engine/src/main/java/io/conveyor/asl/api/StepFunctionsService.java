package io.conveyor.asl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.DefinitionParser;
import io.conveyor.asl.definition.InvalidDefinitionException;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.engine.Engine;
import io.conveyor.asl.engine.Execution;
import io.conveyor.asl.engine.ExecutionStatus;
import io.conveyor.asl.engine.MapRun;
import io.conveyor.asl.history.HistoryEvent;
import io.conveyor.asl.json.JsonValues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The Step Functions API operations over an {@link Engine}: state machines, executions, history, callbacks and
 * map runs, with AWS's request and response shapes (JSON) and error codes. Thread-safe.
 */
public final class StepFunctionsService {

  /** A registered state machine. */
  public record StateMachine(String arn, String name, String definition, StateMachineDefinition program, String roleArn,
      String type, Instant creationDate, Instant updateDate) {
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]{1,80}");

  private final Engine engine;
  private final Map<String, StateMachine> machines = new ConcurrentHashMap<>();
  /** Held while a named execution is looked up and started, so that one name starts one execution. */
  private final Object starting = new Object();

  public StepFunctionsService(Engine engine) {
    this.engine = engine;
  }

  public Engine engine() {
    return engine;
  }

  /** Dispatches an operation by its name (the part after {@code AWSStepFunctions.}). */
  public ObjectNode handle(String operation, JsonNode req) {
    return switch (operation) {
      case "CreateStateMachine" -> createStateMachine(req);
      case "UpdateStateMachine" -> updateStateMachine(req);
      case "DescribeStateMachine" -> describeStateMachine(req);
      case "ListStateMachines" -> listStateMachines(req);
      case "DeleteStateMachine" -> deleteStateMachine(req);
      case "ValidateStateMachineDefinition" -> validate(req);
      case "StartExecution" -> startExecution(req);
      case "StartSyncExecution" -> startSyncExecution(req);
      case "DescribeExecution" -> describeExecution(req);
      case "ListExecutions" -> listExecutions(req);
      case "StopExecution" -> stopExecution(req);
      case "GetExecutionHistory" -> history(req);
      case "RedriveExecution" -> redrive(req);
      case "SendTaskSuccess" -> sendTaskSuccess(req);
      case "SendTaskFailure" -> sendTaskFailure(req);
      case "SendTaskHeartbeat" -> sendTaskHeartbeat(req);
      case "DescribeMapRun" -> describeMapRun(req);
      case "ListMapRuns" -> listMapRuns(req);
      case "DescribeStateMachineForExecution" -> describeStateMachineForExecution(req);
      default -> throw new StepFunctionsException("UnknownOperationException", "Operation " + operation
          + " is not supported by the local Step Functions endpoint");
    };
  }

  private static String required(JsonNode req, String field) {
    JsonNode v = req.get(field);
    if (v == null || v.isNull() || v.asText().isEmpty()) {
      throw new StepFunctionsException("ValidationException", "1 validation error detected: Value null at '" + field
          + "' failed to satisfy constraint: Member must not be null");
    }
    return v.asText();
  }

  private static double epoch(Instant i) {
    return i.toEpochMilli() / 1000.0;
  }

  private String stateMachineArn(String name) {
    return "arn:aws:states:" + engine.region() + ":" + engine.account() + ":stateMachine:" + name;
  }

  private static StateMachineDefinition parse(String definition) {
    try {
      return DefinitionParser.parse(definition);
    } catch (InvalidDefinitionException e) {
      throw new StepFunctionsException("InvalidDefinition", e.getMessage());
    }
  }

  // ---------------------------------------------------------------- state machines

  /** Registers a state machine directly (used by the local runtime and tests). */
  public StateMachine register(String name, String definition, String type) {
    ObjectNode req = JsonValues.object();
    req.put("name", name);
    req.put("definition", definition);
    req.put("type", type);
    req.put("roleArn", "arn:aws:iam::" + engine.account() + ":role/StepFunctionsRole");
    createStateMachine(req);
    return machines.get(stateMachineArn(name));
  }

  public ObjectNode createStateMachine(JsonNode req) {
    String name = required(req, "name");
    if (!NAME.matcher(name).matches()) {
      throw new StepFunctionsException("InvalidName", "Invalid Name: '" + name + "'");
    }
    String definition = required(req, "definition");
    StateMachineDefinition program = parse(definition);
    String type = req.path("type").asText("STANDARD");
    String arn = stateMachineArn(name);
    Instant now = engine.clock().instant();
    StateMachine sm = new StateMachine(arn, name, definition, program, req.path("roleArn").asText(""), type, now,
        null);
    StateMachine existing = machines.putIfAbsent(arn, sm);
    if (existing != null) {
      if (!existing.definition().equals(definition) || !existing.type().equals(type)) {
        throw new StepFunctionsException("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
      }
      sm = existing;
    }
    ObjectNode out = JsonValues.object();
    out.put("stateMachineArn", arn);
    out.put("creationDate", epoch(sm.creationDate()));
    return out;
  }

  private StateMachine machine(String arn) {
    if (!arn.startsWith("arn:aws:states:")) {
      throw new StepFunctionsException("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + arn + "'");
    }
    StateMachine sm = machines.get(arn);
    if (sm == null) {
      throw new StepFunctionsException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
    }
    return sm;
  }

  public ObjectNode updateStateMachine(JsonNode req) {
    StateMachine sm = machine(required(req, "stateMachineArn"));
    String def = req.hasNonNull("definition") ? req.get("definition").asText() : sm.definition();
    StateMachineDefinition p = req.hasNonNull("definition") ? parse(def) : sm.program();
    String role = req.hasNonNull("roleArn") ? req.get("roleArn").asText() : sm.roleArn();
    Instant now = engine.clock().instant();
    machines.put(sm.arn(), new StateMachine(sm.arn(), sm.name(), def, p, role, sm.type(), sm.creationDate(), now));
    ObjectNode out = JsonValues.object();
    out.put("updateDate", epoch(now));
    return out;
  }

  private ObjectNode describe(StateMachine sm) {
    ObjectNode out = JsonValues.object();
    out.put("stateMachineArn", sm.arn());
    out.put("name", sm.name());
    out.put("status", "ACTIVE");
    out.put("definition", sm.definition());
    out.put("roleArn", sm.roleArn());
    out.put("type", sm.type());
    out.put("creationDate", epoch(sm.creationDate()));
    return out;
  }

  public ObjectNode describeStateMachine(JsonNode req) {
    return describe(machine(required(req, "stateMachineArn")));
  }

  public ObjectNode describeStateMachineForExecution(JsonNode req) {
    Execution e = execution(required(req, "executionArn"));
    if (e.mapRunArn() == null) {
      StateMachine sm = machine(e.stateMachineArn());
      ObjectNode out = describe(sm);
      out.remove("status");
      out.put("updateDate", epoch(sm.updateDate() == null ? sm.creationDate() : sm.updateDate()));
      return out;
    }
    // A Map Run's child: the state machine that holds the Distributed Map, named with the Map's label.
    String labelled = e.stateMachineArn();
    StateMachine sm = machine(labelled.substring(0, labelled.indexOf('/', labelled.indexOf(":stateMachine:"))));
    ObjectNode out = describe(sm);
    out.remove("status");
    out.put("stateMachineArn", labelled);
    out.put("updateDate", epoch(sm.updateDate() == null ? sm.creationDate() : sm.updateDate()));
    out.put("mapRunArn", e.mapRunArn());
    out.put("label", labelled.substring(labelled.lastIndexOf('/') + 1));
    return out;
  }

  public ObjectNode listStateMachines(JsonNode req) {
    ArrayNode list = JsonValues.array();
    ObjectNode out = JsonValues.object();
    List<StateMachine> sorted = machines.values().stream().sorted(Comparator.comparing(StateMachine::name)).toList();
    for (StateMachine sm : page(sorted, req, out)) {
      ObjectNode o = JsonValues.object();
      o.put("stateMachineArn", sm.arn());
      o.put("name", sm.name());
      o.put("type", sm.type());
      o.put("creationDate", epoch(sm.creationDate()));
      list.add(o);
    }
    out.set("stateMachines", list);
    return out;
  }

  public ObjectNode deleteStateMachine(JsonNode req) {
    String arn = required(req, "stateMachineArn");
    machines.remove(arn);
    return JsonValues.object();
  }

  public ObjectNode validate(JsonNode req) {
    String def = required(req, "definition");
    ObjectNode out = JsonValues.object();
    ArrayNode diags = JsonValues.array();
    try {
      DefinitionParser.parse(def);
      out.put("result", "OK");
    } catch (InvalidDefinitionException e) {
      out.put("result", "FAIL");
      for (InvalidDefinitionException.Diagnostic d : e.diagnostics()) {
        ObjectNode o = JsonValues.object();
        o.put("severity", "ERROR");
        o.put("code", d.code());
        o.put("message", d.message());
        o.put("location", d.location());
        diags.add(o);
      }
    }
    out.set("diagnostics", diags);
    out.put("truncated", false);
    return out;
  }

  // ---------------------------------------------------------------- executions

  private static JsonNode input(JsonNode req) {
    JsonNode in = req.get("input");
    if (in == null || in.isNull()) {
      return JsonValues.object();
    }
    try {
      return JsonValues.parse(in.asText());
    } catch (IllegalArgumentException e) {
      throw new StepFunctionsException("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + e.getMessage()
          + "'");
    }
  }

  /** Starts an execution; the same name and input return the same execution, as on AWS. */
  public Execution start(String stateMachineArn, String name, JsonNode input) {
    StateMachine sm = machine(stateMachineArn);
    if (name != null && !NAME.matcher(name).matches()) {
      throw new StepFunctionsException("InvalidName", "Invalid Name: '" + name + "'");
    }
    String execName = name == null ? java.util.UUID.randomUUID().toString() : name;
    String arn = sm.arn().replace(":stateMachine:", ":execution:") + ":" + execName;
    synchronized (starting) {
      Execution existing = engine.execution(arn);
      if (existing != null) {
        if (JsonValues.valueEquals(existing.input(), input)) {
          return existing;
        }
        throw new StepFunctionsException("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
      }
      return engine.start(sm.program(), sm.arn(), execName, input);
    }
  }

  public ObjectNode startExecution(JsonNode req) {
    Execution e = start(required(req, "stateMachineArn"), req.hasNonNull("name") ? req.get("name").asText() : null,
        input(req));
    ObjectNode out = JsonValues.object();
    out.put("executionArn", e.executionArn());
    out.put("startDate", epoch(e.startDate()));
    return out;
  }

  public ObjectNode startSyncExecution(JsonNode req) {
    StateMachine sm = machine(required(req, "stateMachineArn"));
    String name = req.hasNonNull("name") ? req.get("name").asText() : java.util.UUID.randomUUID().toString();
    String arn = sm.arn().replace(":stateMachine:", ":express:") + ":" + name;
    Execution e = engine.startExpress(sm.program(), arn, name, sm.arn(), input(req));
    try {
      e.completion().get(5, TimeUnit.MINUTES);
    } catch (Exception ex) {
      engine.stop(e, "States.Timeout", "The synchronous execution did not finish within 5 minutes");
    }
    ObjectNode out = JsonValues.object();
    out.put("executionArn", e.executionArn());
    out.put("stateMachineArn", sm.arn());
    out.put("name", name);
    out.put("startDate", epoch(e.startDate()));
    if (e.stopDate() != null) {
      out.put("stopDate", epoch(e.stopDate()));
    }
    out.put("status", e.status() == ExecutionStatus.TIMED_OUT ? "TIMED_OUT" : e.status().name());
    out.put("input", JsonValues.write(e.input()));
    if (e.output() != null) {
      out.put("output", JsonValues.write(e.output()));
    }
    if (e.error() != null) {
      out.put("error", e.error());
    }
    if (e.cause() != null) {
      out.put("cause", e.cause());
    }
    ObjectNode billing = JsonValues.object();
    billing.put("billedMemoryUsedInMB", 64);
    billing.put("billedDurationInMilliseconds", 100);
    out.set("billingDetails", billing);
    return out;
  }

  /** A known execution: running, or finished and still retained (see {@link Engine.Builder#retainedExecutions}). */
  public Execution execution(String arn) {
    if (!arn.startsWith("arn:aws:states:") || !arn.contains(":execution:") && !arn.contains(":express:")) {
      throw new StepFunctionsException("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + arn + "'");
    }
    Execution e = engine.execution(arn);
    if (e == null) {
      throw new StepFunctionsException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
    }
    return e;
  }

  public ObjectNode describeExecution(JsonNode req) {
    Execution e = execution(required(req, "executionArn"));
    ObjectNode out = JsonValues.object();
    out.put("executionArn", e.executionArn());
    out.put("stateMachineArn", e.stateMachineArn());
    out.put("name", e.name());
    out.put("status", e.status().name());
    out.put("startDate", epoch(e.startDate()));
    if (e.stopDate() != null) {
      out.put("stopDate", epoch(e.stopDate()));
    }
    out.put("input", JsonValues.write(e.input()));
    ObjectNode details = JsonValues.object();
    details.put("included", true);
    out.set("inputDetails", details);
    if (e.output() != null) {
      out.put("output", JsonValues.write(e.output()));
      out.set("outputDetails", details);
    }
    if (e.error() != null) {
      out.put("error", e.error());
    }
    if (e.cause() != null) {
      out.put("cause", e.cause());
    }
    if (e.mapRunArn() != null) {
      out.put("mapRunArn", e.mapRunArn());
    }
    out.put("redriveCount", e.redriveCount());
    if (e.redriveDate() != null) {
      out.put("redriveDate", epoch(e.redriveDate()));
    }
    // A Distributed Map's child executions are redriven with their Map Run, not on their own.
    boolean redrivable = e.mapRunArn() == null && (e.status() == ExecutionStatus.FAILED
        || e.status() == ExecutionStatus.TIMED_OUT || e.status() == ExecutionStatus.ABORTED);
    out.put("redriveStatus", redrivable ? "REDRIVABLE" : "NOT_REDRIVABLE");
    return out;
  }

  private static final Set<String> STATUSES = Set.of("RUNNING", "SUCCEEDED", "FAILED",
      "TIMED_OUT", "ABORTED", "PENDING_REDRIVE");

  /**
   * Lists executions of a state machine, or the child executions of a Map Run ({@code mapRunArn}), newest first,
   * optionally of one status, a page at a time.
   */
  public ObjectNode listExecutions(JsonNode req) {
    String smArn = req.hasNonNull("stateMachineArn") ? req.get("stateMachineArn").asText() : null;
    String mapRunArn = req.hasNonNull("mapRunArn") ? req.get("mapRunArn").asText() : null;
    if (smArn == null == (mapRunArn == null)) {
      throw new StepFunctionsException("ValidationException", "Must provide a StateMachine ARN or MapRun ARN, but not both");
    }
    if (smArn != null) {
      machine(smArn);
    } else if (engine.mapRun(mapRunArn) == null) {
      throw new StepFunctionsException("ResourceNotFound", "Resource not found: '" + mapRunArn + "'");
    }
    String status = req.hasNonNull("statusFilter") ? req.get("statusFilter").asText() : null;
    if (status != null && !STATUSES.contains(status)) {
      throw new StepFunctionsException("ValidationException", "1 validation error detected: Value '" + status
          + "' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: " + STATUSES);
    }
    List<Execution> matching = new ArrayList<>();
    for (Execution e : engine.executions()) {
      boolean owner = smArn != null ? e.stateMachineArn().equals(smArn) && e.mapRunArn() == null
          : mapRunArn.equals(e.mapRunArn());
      if (owner && (status == null || e.status().name().equals(status))) {
        matching.add(e);
      }
    }
    ArrayNode arr = JsonValues.array();
    ObjectNode out = JsonValues.object();
    for (Execution e : page(matching, req, out)) {
      ObjectNode o = JsonValues.object();
      o.put("executionArn", e.executionArn());
      o.put("stateMachineArn", e.stateMachineArn());
      o.put("name", e.name());
      o.put("status", e.status().name());
      o.put("startDate", epoch(e.startDate()));
      if (e.stopDate() != null) {
        o.put("stopDate", epoch(e.stopDate()));
      }
      if (mapRunArn != null) {
        o.put("mapRunArn", mapRunArn);
        o.put("itemCount", e.itemCount());
      }
      o.put("redriveCount", e.redriveCount());
      if (e.redriveDate() != null) {
        o.put("redriveDate", epoch(e.redriveDate()));
      }
      arr.add(o);
    }
    out.set("executions", arr);
    return out;
  }

  /**
   * The page of {@code all} that the request's {@code nextToken} and {@code maxResults} (default 100, at most
   * 1,000, as on AWS) select; sets {@code nextToken} on {@code response} when more follow.
   */
  private static <T> List<T> page(List<T> all, JsonNode req, ObjectNode response) {
    int start = 0;
    if (req.hasNonNull("nextToken")) {
      String token = req.get("nextToken").asText();
      try {
        start = Integer.parseInt(token);
      } catch (NumberFormatException e) {
        start = -1;
      }
      if (start < 0 || start > all.size()) {
        throw new StepFunctionsException("InvalidToken", "Invalid Token: '" + token + "'");
      }
    }
    int max = req.path("maxResults").asInt(0);
    if (max < 0 || max > 1000) {
      throw new StepFunctionsException("ValidationException", "1 validation error detected: Value '" + max
          + "' at 'maxResults' failed to satisfy constraint: Member must have value between 0 and 1000");
    }
    int end = Math.min(all.size(), start + (max == 0 ? 100 : max));
    if (end < all.size()) {
      response.put("nextToken", String.valueOf(end));
    }
    return all.subList(start, end);
  }

  public ObjectNode stopExecution(JsonNode req) {
    Execution e = execution(required(req, "executionArn"));
    engine.stop(e, req.hasNonNull("error") ? req.get("error").asText() : null,
        req.hasNonNull("cause") ? req.get("cause").asText() : null);
    ObjectNode out = JsonValues.object();
    out.put("stopDate", epoch(e.stopDate() == null ? engine.clock().instant() : e.stopDate()));
    return out;
  }

  public ObjectNode history(JsonNode req) {
    Execution e = execution(required(req, "executionArn"));
    List<HistoryEvent> events = new ArrayList<>(e.history().events());
    if (req.path("reverseOrder").asBoolean(false)) {
      java.util.Collections.reverse(events);
    }
    boolean includeData = req.path("includeExecutionData").asBoolean(true);
    ArrayNode arr = JsonValues.array();
    ObjectNode out = JsonValues.object();
    for (HistoryEvent h : page(events, req, out)) {
      ObjectNode o = JsonValues.object();
      o.put("timestamp", epoch(h.timestamp()));
      o.put("type", h.type());
      o.put("id", h.id());
      o.put("previousEventId", h.previousEventId());
      if (h.detailsKey() != null && h.details() != null) {
        o.set(h.detailsKey(), h.renderedDetails(includeData));
      }
      arr.add(o);
    }
    out.set("events", arr);
    return out;
  }

  public ObjectNode redrive(JsonNode req) {
    Execution e = execution(required(req, "executionArn"));
    if (!engine.redrive(e)) {
      throw new StepFunctionsException("ExecutionNotRedrivable", "Execution '" + e.executionArn() + "' is not redrivable "
          + "(status " + e.status() + ")");
    }
    ObjectNode out = JsonValues.object();
    out.put("redriveDate", epoch(e.redriveDate()));
    return out;
  }

  private static void token(String t) {
    if (t.length() > 1024) {
      throw new StepFunctionsException("InvalidToken", "Invalid Token: '" + t + "'");
    }
  }

  public ObjectNode sendTaskSuccess(JsonNode req) {
    String t = required(req, "taskToken");
    token(t);
    JsonNode output;
    try {
      output = JsonValues.parse(required(req, "output"));
    } catch (IllegalArgumentException e) {
      throw new StepFunctionsException("InvalidOutput", "Invalid Output: '" + e.getMessage() + "'");
    }
    try {
      engine.sendTaskSuccess(t, output);
    } catch (Engine.TaskDoesNotExistException e) {
      throw new StepFunctionsException("TaskDoesNotExist", e.getMessage());
    }
    return JsonValues.object();
  }

  public ObjectNode sendTaskFailure(JsonNode req) {
    String t = required(req, "taskToken");
    token(t);
    try {
      engine.sendTaskFailure(t, req.hasNonNull("error") ? req.get("error").asText() : null,
          req.hasNonNull("cause") ? req.get("cause").asText() : null);
    } catch (Engine.TaskDoesNotExistException e) {
      throw new StepFunctionsException("TaskDoesNotExist", e.getMessage());
    }
    return JsonValues.object();
  }

  public ObjectNode sendTaskHeartbeat(JsonNode req) {
    String t = required(req, "taskToken");
    token(t);
    try {
      engine.sendTaskHeartbeat(t);
    } catch (Engine.TaskDoesNotExistException e) {
      throw new StepFunctionsException("TaskDoesNotExist", e.getMessage());
    }
    return JsonValues.object();
  }

  private static ObjectNode counts(MapRun.Counts r) {
    ObjectNode c = JsonValues.object();
    c.put("pending", r.pending());
    c.put("running", r.running());
    c.put("succeeded", r.succeeded());
    c.put("failed", r.failed());
    c.put("timedOut", r.timedOut());
    c.put("aborted", r.aborted());
    c.put("total", r.total());
    c.put("resultsWritten", r.succeeded() + r.failed());
    return c;
  }

  public ObjectNode describeMapRun(JsonNode req) {
    String arn = required(req, "mapRunArn");
    MapRun r = engine.mapRun(arn);
    if (r == null) {
      throw new StepFunctionsException("ResourceNotFound", "Resource not found: '" + arn + "'");
    }
    ObjectNode out = JsonValues.object();
    out.put("mapRunArn", r.mapRunArn());
    out.put("executionArn", r.executionArn());
    out.put("status", r.status());
    out.put("startDate", epoch(r.startDate()));
    if (r.stopDate() != null) {
      out.put("stopDate", epoch(r.stopDate()));
    }
    out.put("maxConcurrency", r.maxConcurrency());
    out.put("toleratedFailurePercentage", r.toleratedFailurePercentage());
    out.put("toleratedFailureCount", r.toleratedFailureCount());
    out.set("itemCounts", counts(r.items()));
    out.set("executionCounts", counts(r.executions()));
    out.put("redriveCount", 0);
    return out;
  }

  public ObjectNode listMapRuns(JsonNode req) {
    Execution e = execution(required(req, "executionArn"));
    ArrayNode arr = JsonValues.array();
    ObjectNode out = JsonValues.object();
    for (MapRun r : page(e.mapRuns(), req, out)) {
      ObjectNode o = JsonValues.object();
      o.put("executionArn", r.executionArn());
      o.put("mapRunArn", r.mapRunArn());
      o.put("stateMachineArn", r.stateMachineArn());
      o.put("startDate", epoch(r.startDate()));
      if (r.stopDate() != null) {
        o.put("stopDate", epoch(r.stopDate()));
      }
      arr.add(o);
    }
    out.set("mapRuns", arr);
    return out;
  }
}
