package io.conveyor.asl.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One element of a state's {@code Catch} array.
 *
 * @param errorEquals error names this catcher matches
 * @param next the state to go to
 * @param resultPath where the error output goes (JSONPath): MissingNode means "$", NullNode discards
 * @param assign variables to assign (JSONPath or JSONata template), or null
 * @param output the JSONata Output template, or null
 */
public record Catcher(List<String> errorEquals, String next, JsonNode resultPath, JsonNode assign, JsonNode output) {
}
