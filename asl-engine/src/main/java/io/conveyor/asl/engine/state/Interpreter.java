package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a program's states one after the other: records each state's StateEntered event, hands the state to the
 * {@link StateHandler} for its type, and records StateExited once the handler's step is there. A trampoline: states
 * that finish at once run in a loop on the same thread without growing the stack; after one that had to wait, the
 * loop resumes on a worker thread. Thread-safe; one interpreter serves every execution of an engine.
 */
public final class Interpreter {

  /** A state type's handler and the names of its StateEntered and StateExited events, made once. */
  private record Room(StateHandler<State> handler, String entered, String exited) {
  }

  private final Services services;
  private final Map<Class<? extends State>, Room> rooms;

  /** @param distributed runs Distributed Maps' child executions */
  public Interpreter(Services services, DistributedMaps distributed) {
    this.services = services;
    ProgramRunner programs = (program, input, branch) -> run(program, program.startAt(), input, branch);
    this.rooms = Map.of(
        State.Pass.class, room("Pass", new PassHandler()),
        State.Succeed.class, room("Succeed", new SucceedHandler()),
        State.Fail.class, room("Fail", new FailHandler()),
        State.Choice.class, room("Choice", new ChoiceHandler()),
        State.Wait.class, room("Wait", new WaitHandler(services.clock(), services.timers())),
        State.Task.class, room("Task", retrying(new TaskHandler(services))),
        State.Parallel.class, room("Parallel", retrying(new ParallelHandler(services.workers(), programs))),
        State.MapState.class, room("Map", retrying(new MapHandler(services, programs, distributed))));
  }

  @SuppressWarnings("unchecked")
  private static Room room(String type, StateHandler<? extends State> handler) {
    // Safe: the table's key is the handler's state class, so a handler only ever sees its own type.
    return new Room((StateHandler<State>) handler, type + "StateEntered", type + "StateExited");
  }

  private <S extends State> StateHandler<S> retrying(StateHandler<S> handler) {
    return new RetryCatch<>(handler, services.timers());
  }

  /**
   * Runs an execution's top-level branch from {@code startAt} to its end, within AWS's payload limit: its input,
   * every state's output, and the execution's output.
   */
  public CompletableFuture<JsonNode> runExecution(StateMachineDefinition program, String startAt, JsonNode input,
      Branch top) {
    if (JsonValues.exceedsUtf8Size(input, Payloads.MAX_PAYLOAD_BYTES)) {
      return CompletableFuture.failedFuture(new StatesError(StatesError.DATA_LIMIT_EXCEEDED,
          "The state/task input exceeds the maximum number of bytes service limit."));
    }
    top.withinLimit = input;
    return run(program, startAt, input, top);
  }

  /** Runs {@code branch} through {@code program} from {@code startAt}: its output or its failure. */
  CompletableFuture<JsonNode> run(StateMachineDefinition program, String startAt, JsonNode input, Branch branch) {
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    drive(program, startAt, input, branch, result);
    return result;
  }

  private void drive(StateMachineDefinition program, String stateName, JsonNode input, Branch branch,
      CompletableFuture<JsonNode> result) {
    String name = stateName;
    JsonNode in = input;
    RunningExecution exec = branch.execution();
    while (true) {
      if (exec.stopRequested() || !exec.running()) {
        result.completeExceptionally(new StatesError(StatesError.ABORTED, "Execution stopped"));
        return;
      }
      State s = program.state(name);
      if (s == null) {
        result.completeExceptionally(new StatesError(StatesError.RUNTIME, "State not found: " + name));
        return;
      }
      Room room = rooms.get(s.getClass());
      StateContext c;
      try {
        long enteredId = branch.stateEvent(room.entered(), "stateEnteredEventDetails", name, "input", in);
        c = new StateContext(s, in, branch, services.clock().instant(), enteredId, branch.steps++);
      } catch (Throwable t) {
        fail(branch, name, in, t, result);
        return;
      }
      CompletableFuture<Step> f = room.handler().attempt(s, c);
      if (!f.isDone()) {
        f.whenComplete((step, err) -> services.workers().execute(() -> resume(program, room, c, step, err, result)));
        return;
      }
      Step step;
      try {
        step = exit(room, c, f.join());
      } catch (Throwable t) {
        fail(branch, name, in, c.scoped(Futures.unwrap(t)), result);
        return;
      }
      if (step.next() == null) {
        end(branch, step.output(), result);
        return;
      }
      name = step.next();
      in = step.output();
    }
  }

  /** Goes on after a state that had to wait: on to its next state, or the branch's end or failure. */
  private void resume(StateMachineDefinition program, Room room, StateContext c, Step step, Throwable err,
      CompletableFuture<JsonNode> result) {
    Branch branch = c.branch();
    Step exited;
    try {
      if (err != null) {
        throw err;
      }
      exited = exit(room, c, step);
    } catch (Throwable t) {
      fail(branch, c.state().name(), c.input(), c.scoped(Futures.unwrap(t)), result);
      return;
    }
    if (exited.next() == null) {
      end(branch, exited.output(), result);
    } else {
      drive(program, exited.next(), exited.output(), branch, result);
    }
  }

  /** Checks the state's output against the payload limit and records StateExited. */
  private static Step exit(Room room, StateContext c, Step step) {
    Branch b = c.branch();
    if (step.output() != b.withinLimit && JsonValues.exceedsUtf8Size(step.output(), Payloads.MAX_PAYLOAD_BYTES)) {
      throw Payloads.tooLarge(c.state());
    }
    b.withinLimit = step.output();
    b.stateEvent(room.exited(), "stateExitedEventDetails", c.state().name(), "output", step.output());
    return step;
  }

  private static void end(Branch branch, JsonNode output, CompletableFuture<JsonNode> result) {
    if (branch.isTop() && output != branch.withinLimit
        && JsonValues.exceedsUtf8Size(output, Payloads.MAX_PAYLOAD_BYTES)) {
      result.completeExceptionally(new StatesError(StatesError.DATA_LIMIT_EXCEEDED,
          "The state/task output exceeds the maximum number of bytes service limit."));
      return;
    }
    result.complete(output);
  }

  private static void fail(Branch branch, String stateName, JsonNode input, Throwable err,
      CompletableFuture<JsonNode> result) {
    if (branch.isTop()) {
      branch.execution().failedAt(stateName, input);
    }
    result.completeExceptionally(Futures.unwrap(err));
  }
}
