package io.conveyor.asl.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A parsed, immutable state machine (or a Parallel branch / Map item processor): where to start and its states.
 *
 * @param startAt name of the first state
 * @param states states by name, in definition order
 * @param queryLanguage the default query language of this program's states
 * @param timeoutSeconds execution timeout (top level only), or null
 * @param raw the definition JSON this program was parsed from
 */
public record StateMachineDefinition(String startAt, Map<String, State> states, QueryLanguage queryLanguage,
    Integer timeoutSeconds, JsonNode raw) {

  public State state(String name) {
    return states.get(name);
  }
}
