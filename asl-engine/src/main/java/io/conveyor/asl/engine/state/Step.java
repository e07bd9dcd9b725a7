package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The outcome of one state: its output and the state to run next.
 *
 * @param output the state's output, the next state's input
 * @param next the next state's name, or null when the branch ends here
 */
public record Step(JsonNode output, String next) {
}
