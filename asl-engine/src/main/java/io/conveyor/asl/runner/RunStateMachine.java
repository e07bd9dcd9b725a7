package io.conveyor.asl.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.DefinitionParser;
import io.conveyor.asl.definition.InvalidDefinitionException;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.engine.Engine;
import io.conveyor.asl.engine.Execution;
import io.conveyor.asl.engine.ExecutionStatus;
import io.conveyor.asl.history.HistoryEvent;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.task.LambdaInvoker;
import io.conveyor.asl.task.TaskDispatcher;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a state machine definition file once and prints its output; Lambda tasks are answered by stand-ins given
 * on the command line. Exit code 0 when the execution succeeded, 1 when it failed, 2 on bad usage.
 *
 * <pre>
 * RunStateMachine DEFINITION.json [--input JSON | --input-file FILE] [--lambda NAME=echo]
 *     [--lambda NAME=return:JSON] [--lambda NAME=raise:ERROR:CAUSE] [--history] [--time-scale X]
 * </pre>
 */
public final class RunStateMachine {

  private RunStateMachine() {
  }

  static final String USAGE = "usage: RunStateMachine DEFINITION.json [--input JSON | --input-file FILE]\n"
      + "    [--lambda NAME=echo | NAME=return:JSON | NAME=raise:ERROR:CAUSE]... [--history] [--time-scale X]";

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    Path definition = null;
    JsonNode input = JsonValues.object();
    Map<String, String> lambdas = new HashMap<>();
    boolean history = false;
    double timeScale = 1.0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--input" -> input = JsonValues.parse(args[++i]);
        case "--input-file" -> input = JsonValues.parse(Files.readString(Path.of(args[++i]), StandardCharsets.UTF_8));
        case "--lambda" -> {
          String spec = args[++i];
          int eq = spec.indexOf('=');
          if (eq <= 0) {
            err.println("bad --lambda " + spec + "\n" + USAGE);
            return 2;
          }
          lambdas.put(spec.substring(0, eq), spec.substring(eq + 1));
        }
        case "--history" -> history = true;
        case "--time-scale" -> timeScale = Double.parseDouble(args[++i]);
        default -> {
          if (a.startsWith("--") || definition != null) {
            err.println("unknown argument " + a + "\n" + USAGE);
            return 2;
          }
          definition = Path.of(a);
        }
      }
    }
    if (definition == null) {
      err.println(USAGE);
      return 2;
    }
    StateMachineDefinition program;
    try {
      program = DefinitionParser.parse(Files.readString(definition, StandardCharsets.UTF_8));
    } catch (InvalidDefinitionException e) {
      err.println(e.getMessage());
      return 2;
    }
    try (TaskDispatcher tasks = new TaskDispatcher(standIns(lambdas));
        Engine engine = Engine.builder().taskExecutor(tasks).timeScale(timeScale).build()) {
      Execution e = engine.start(program, "arn:aws:states:us-east-1:123456789012:stateMachine:local", null, input);
      e.completion().get(1, TimeUnit.HOURS);
      if (history) {
        for (HistoryEvent h : e.history().events()) {
          ObjectNode o = JsonValues.object();
          o.put("id", h.id());
          o.put("previousEventId", h.previousEventId());
          o.put("type", h.type());
          if (h.details() != null) {
            o.set(h.detailsKey(), h.renderedDetails(true));
          }
          err.println(JsonValues.write(o));
        }
      }
      if (e.status() == ExecutionStatus.SUCCEEDED) {
        out.println(JsonValues.writePretty(e.output()));
        return 0;
      }
      ObjectNode failure = JsonValues.object();
      failure.put("status", e.status().name());
      failure.put("error", e.error());
      failure.put("cause", e.cause());
      out.println(JsonValues.writePretty(failure));
      return 1;
    }
  }

  /** Stand-ins by function name: echo, return:JSON, raise:ERROR:CAUSE. */
  static LambdaInvoker standIns(Map<String, String> specs) {
    return (function, payload) -> {
      String name = function.contains(":function:")
          ? function.substring(function.indexOf(":function:") + 10).split(":")[0] : function;
      String spec = specs.get(name);
      if (spec == null) {
        throw new LambdaInvoker.LambdaServiceException("ResourceNotFoundException",
            "Function not found: " + function + " (give it with --lambda " + name + "=echo)");
      }
      if (spec.equals("echo")) {
        return LambdaInvoker.LambdaResponse.ok(payload);
      }
      if (spec.startsWith("return:")) {
        return LambdaInvoker.LambdaResponse.ok(JsonValues.write(JsonValues.parse(spec.substring(7))));
      }
      if (spec.startsWith("raise:")) {
        String rest = spec.substring(6);
        int colon = rest.indexOf(':');
        String error = colon < 0 ? rest : rest.substring(0, colon);
        String cause = colon < 0 ? "" : rest.substring(colon + 1);
        ObjectNode doc = JsonValues.object();
        doc.put("errorMessage", cause);
        doc.put("errorType", error);
        return LambdaInvoker.LambdaResponse.error(JsonValues.write(doc));
      }
      throw new IllegalArgumentException("Unknown stand-in " + spec);
    };
  }
}
