package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.jsonata.JsonataSupport;
import io.conveyor.asl.path.PathScope;
import java.time.Instant;

/**
 * One state being run: the state, its raw input, its branch, when it was entered, and what its evaluation has
 * produced so far. It is the {@link PathScope} of the state's JSONPath fields and the bindings of its JSONata
 * ({@code $states}, variables).
 */
public final class StateContext implements PathScope, JsonataSupport.Bindings {
  private final State state;
  private final JsonNode input;
  private final Branch branch;
  private final Instant entered;
  private final long enteredEventId;
  /** The state's visit number in its branch: which of the branch's entered states it is. */
  private final int step;
  private volatile int retryCount;
  private volatile String taskToken;
  /** {@code $states.result}, once the state's work produced one. */
  private JsonNode result;
  /** {@code $states.errorOutput}, in a Catcher. */
  private JsonNode errorOutput;
  /** {@code $$}, built when first read and again when the retry count or the task token changed. */
  private ObjectNode context;

  StateContext(State state, JsonNode input, Branch branch, Instant entered, long enteredEventId, int step) {
    this.step = step;
    this.state = state;
    this.input = input;
    this.branch = branch;
    this.entered = entered;
    this.enteredEventId = enteredEventId;
  }

  /** The same state seen from another branch (an ItemSelector sees the item's {@code $$.Map}). */
  StateContext in(Branch other) {
    return new StateContext(state, input, other, entered, enteredEventId, step);
  }

  /**
   * This visit of the state, as a {@link Journal} names it: the branch's path, the visit number and the state's
   * name. The same in a replay as in the run it replays, since a branch enters its states in the same order.
   */
  public String effectKey() {
    return branch.path() + "/" + step + "." + state.name();
  }

  int retryCount() {
    return retryCount;
  }

  public State state() {
    return state;
  }

  public Branch branch() {
    return branch;
  }

  /** The state's raw input, before InputPath. */
  @Override
  public JsonNode input() {
    return input;
  }

  void retried() {
    retryCount++;
  }

  void taskToken(String token) {
    this.taskToken = token;
  }

  String taskToken() {
    return taskToken;
  }

  void result(JsonNode r) {
    this.result = r;
  }

  void errorOutput(JsonNode e) {
    this.errorOutput = e;
  }

  /**
   * {@code t}, and if it is a state-level error, with the cause AWS gives it: prefixed with this state's name and
   * the id of its StateEntered event.
   */
  public Throwable scoped(Throwable t) {
    if (t instanceof StatesError se && se.stateScoped()) {
      return se.withStatePrefix(state.name(), enteredEventId);
    }
    return t;
  }

  @Override
  public synchronized JsonNode contextObject() {
    if (context == null || context.path("State").path("RetryCount").asInt() != retryCount
        || (taskToken != null && !context.has("Task"))) {
      RunningExecution exec = branch.execution();
      ObjectNode c = JsonValues.object();
      c.set("Execution", exec.contextExecution());
      ObjectNode sm = JsonValues.object();
      sm.put("Id", exec.stateMachineArn());
      sm.put("Name", exec.stateMachineName());
      c.set("StateMachine", sm);
      ObjectNode st = JsonValues.object();
      st.put("EnteredTime", entered.toString());
      st.put("Name", state.name());
      st.put("RetryCount", retryCount);
      c.set("State", st);
      if (branch.mapContext() != null) {
        c.set("Map", branch.mapContext());
      }
      if (taskToken != null) {
        ObjectNode t = JsonValues.object();
        t.put("Token", taskToken);
        c.set("Task", t);
      }
      context = c;
    }
    return context;
  }

  @Override
  public JsonNode variable(String name) {
    return branch.variables().get(name);
  }

  @Override
  public JsonNode states() {
    ObjectNode s = JsonValues.object();
    s.set("input", input);
    s.set("context", contextObject());
    if (result != null) {
      s.set("result", result);
    }
    if (errorOutput != null) {
      s.set("errorOutput", errorOutput);
    }
    return s;
  }
}
