package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.engine.Variables;
import io.conveyor.asl.history.History;

/**
 * A branch of an execution: the execution itself, a Parallel branch or a Map iteration. It has its own variable
 * scope and {@code $$.Map}, and its own chain of history events (each event names the one before it in its
 * branch, as AWS's previousEventId does).
 */
public final class Branch {
  private final RunningExecution execution;
  private final Variables variables;
  private final ObjectNode mapContext;
  private final boolean top;
  private final History history;
  /** The state (in the enclosing branch) that started this nested branch, and its index there; null at the top. */
  private final StateContext origin;
  private final int index;
  /** This branch's part of every effect key (see {@link Journal}), built when first needed. */
  private String path;
  /** How many states this branch has entered: a state's visit number in its effect keys. */
  int steps;
  private long previous;
  /**
   * The value this branch last found within the payload limit. Values are never changed once produced, so a
   * state whose output is that very value (a Pass or Choice passing its input on, a Task's result taken whole)
   * needs no second walk over it. Read and written by the branch's states, one after the other.
   */
  JsonNode withinLimit;

  private Branch(RunningExecution execution, Variables variables, ObjectNode mapContext, boolean top,
      long previous, StateContext origin, int index) {
    this.execution = execution;
    this.origin = origin;
    this.index = index;
    this.variables = variables;
    this.mapContext = mapContext;
    this.top = top;
    this.previous = previous;
    this.history = execution.history();
  }

  /**
   * The top-level branch of an execution, its events following the last one in its history.
   *
   * @param mapContext {@code $$.Map} for a Distributed Map's child execution, else null
   */
  public static Branch top(RunningExecution execution, Variables variables, ObjectNode mapContext) {
    return new Branch(execution, variables, mapContext, true, execution.history().lastId(), null, 0);
  }

  /**
   * A nested branch (Parallel branch, Map iteration) with its own variable scope, from this one's last event.
   *
   * @param origin the Parallel or Map state starting it
   * @param index the branch's or iteration's index in that state
   */
  Branch nested(ObjectNode mapContext, StateContext origin, int index) {
    return new Branch(execution, variables.child(), mapContext, false, previous(), origin, index);
  }

  /** This branch's variables seen with another {@code $$.Map}, for evaluating an ItemSelector; adds no events. */
  Branch seenAs(ObjectNode mapContext) {
    return new Branch(execution, variables, mapContext, false, 0, origin, index);
  }

  /** The branch's part of effect keys: empty at the top, else its origin state's key and its index. */
  String path() {
    String p = path;
    if (p == null) {
      p = origin == null ? "" : origin.effectKey() + "/" + index;
      path = p;
    }
    return p;
  }

  public RunningExecution execution() {
    return execution;
  }

  Variables variables() {
    return variables;
  }

  ObjectNode mapContext() {
    return mapContext;
  }

  /** True for an execution's own branch, where a failed state is where a redrive resumes. */
  boolean isTop() {
    return top;
  }

  /** Adds an event after this branch's last one; returns its id. */
  public synchronized long event(String type, String detailsKey, ObjectNode details) {
    previous = history.add(type, previous, detailsKey, details);
    return previous;
  }

  synchronized long stateEvent(String type, String detailsKey, String stateName, String payloadKey,
      JsonNode payload) {
    previous = history.addStateEvent(type, previous, detailsKey, stateName, payloadKey, payload);
    return previous;
  }

  synchronized long previous() {
    return previous;
  }
}
