package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.definition.StateMachineDefinition;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a nested program (a Parallel branch, an inline Map's iteration) from its start to its end. Given to the
 * handlers that need it, so that they do not depend on the {@link Interpreter} that calls them.
 */
@FunctionalInterface
public interface ProgramRunner {

  /** The program's output, or its failure, once {@code branch} has run it to its end. */
  CompletableFuture<JsonNode> run(StateMachineDefinition program, JsonNode input, Branch branch);
}
