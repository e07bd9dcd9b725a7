/**
 * The States Language interpreter, one room per kind of state: the {@link io.conveyor.asl.engine.state.Interpreter}
 * (the trampoline and the table from state type to {@link io.conveyor.asl.engine.state.StateHandler}), a handler per
 * state type, the rules every state shares ({@link io.conveyor.asl.engine.state.Payloads} for input and output
 * processing, {@code RetryCatch}), and the Choice operators as pure functions. States see their execution and the
 * engine only through what they are given: a {@link io.conveyor.asl.engine.state.StateContext}, its
 * {@link io.conveyor.asl.engine.state.Branch} and {@link io.conveyor.asl.engine.state.RunningExecution}, and the
 * engine's {@link io.conveyor.asl.engine.state.Services}.
 *
 * <p>Internal to the engine: its types are public only for {@code io.conveyor.asl.engine}, which builds and drives
 * it; they are not an API and may change.
 */
package io.conveyor.asl.engine.state;
