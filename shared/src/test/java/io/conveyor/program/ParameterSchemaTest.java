package io.conveyor.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.config.ConfigurationException;
import io.conveyor.persistence.StoredJson;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParameterSchemaTest {
    private static final ParameterSchema RENDER = ParameterSchema.of(json("""
            {"type": "object", "additionalProperties": false, "required": ["width"],
             "properties": {
               "width": {"type": "integer", "minimum": 16, "maximum": 4096, "description": "pixels across"},
               "quality": {"type": "number", "exclusiveMinimum": 0, "maximum": 1, "default": 0.8},
               "format": {"type": "string", "enum": ["png", "webp"], "default": "png"},
               "label": {"type": "string", "maxLength": 5, "pattern": "^[a-z]+$"},
               "lossless": {"type": "boolean", "default": false}}}"""));

    private static JsonNode json(String text) {
        try {
            return StoredJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void valuesGivenAsText_areReadAsTheirDeclaredType() {
        assertEquals(List.of(), RENDER.problems(Map.of("width", "640", "quality", "0.5", "format", "webp",
                "label", "cat", "lossless", "true")));
        assertEquals(List.of(), RENDER.problems(Map.of("width", " 16 ")));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(Map.of(), "Parameter 'width' is required (pixels across)."),
                Arguments.of(Map.of("width", "8"), "Parameter 'width' must be at least 16; got '8'."),
                Arguments.of(Map.of("width", "5000"), "Parameter 'width' must be at most 4096; got '5000'."),
                Arguments.of(Map.of("width", "wide"), "Parameter 'width' must be a whole number; got 'wide'."),
                Arguments.of(Map.of("width", "64.5"), "Parameter 'width' must be a whole number; got '64.5'."),
                Arguments.of(Map.of("width", "64", "quality", "0"), "Parameter 'quality' must be more than 0; got '0'."),
                Arguments.of(Map.of("width", "64", "quality", "high"), "Parameter 'quality' must be a number; got 'high'."),
                Arguments.of(Map.of("width", "64", "format", "gif"), "Parameter 'format' must be one of png, webp; got 'gif'."),
                Arguments.of(Map.of("width", "64", "lossless", "yes"), "Parameter 'lossless' must be true or false; got 'yes'."),
                Arguments.of(Map.of("width", "64", "label", "toolong"), "Parameter 'label' must be at most 5 characters long; got 'toolong'."),
                Arguments.of(Map.of("width", "64", "label", "A1"), "Parameter 'label' must match \"^[a-z]+$\"; got 'A1'."),
                Arguments.of(Map.of("width", "64", "hieght", "3"),
                        "Parameter 'hieght' is not one this program takes; it takes width, quality, format, label, lossless."));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    void eachProblem_isOneSentenceNamingTheParameterAndWhatToChange(Map<String, String> parameters, String expected) {
        assertEquals(List.of(expected), RENDER.problems(parameters));
    }

    @Test
    void keywordsMeanWhatJsonSchemaSays_lengthsInCodePoints_patternsUnanchored_enumsByValue() {
        ParameterSchema schema = ParameterSchema.of(json("""
                {"type": "object", "properties": {
                  "name": {"type": "string", "maxLength": 3, "pattern": "b"},
                  "ratio": {"type": "number", "enum": [0.5, 2]},
                  "count": {"type": "integer"}}}"""));
        assertEquals(List.of(), schema.problems(Map.of("name", "\uD83D\uDE00ab", "ratio", "2.0", "count", "7")),
                "one emoji is one character; 'b' is found inside the value; 2.0 is the enum's 2");
        assertEquals(List.of("Parameter 'name' must match \"b\"; got 'aa'."), schema.problems(Map.of("name", "aa")));
        assertEquals(List.of("Parameter 'count' must be a whole number; got '1e3'."), schema.problems(Map.of("count", "1e3")));
        assertEquals(List.of("Parameter 'ratio' must be a number; got 'NaN'."), schema.problems(Map.of("ratio", "NaN")));
    }

    @Test
    void everyProblem_isReported_notOnlyTheFirst() {
        assertEquals(2, RENDER.problems(Map.of("width", "1", "format", "bmp")).size());
    }

    @Test
    void withoutAdditionalPropertiesFalse_otherParametersAreAccepted() {
        ParameterSchema open = ParameterSchema.of(json("{\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\"}}}"));
        assertEquals(List.of(), open.problems(Map.of("n", "3", "anything", "x")));
    }

    static Stream<Arguments> schemasOutsideTheSubset() {
        return Stream.of(
                Arguments.of("[]", "must be a JSON Schema object"),
                Arguments.of("{\"type\": \"array\"}", "must be a JSON Schema object"),
                Arguments.of("{\"type\": \"object\", \"oneOf\": []}", "uses \"oneOf\""),
                Arguments.of("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"object\"}}}", "parameter 'a' needs \"type\""),
                Arguments.of("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"$ref\": \"#\"}}}", "uses \"$ref\""),
                Arguments.of("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"integer\", \"minimum\": 5, \"default\": 1}}}",
                        "its default 1 does not satisfy it"),
                Arguments.of("{\"type\": \"object\", \"required\": [\"b\"], \"properties\": {\"a\": {\"type\": \"string\"}}}",
                        "names 'b', which is not among its properties"),
                Arguments.of("{\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\"}}", "must be true or false"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("schemasOutsideTheSubset")
    void schemaOutsideTheSubset_isRefusedWhenRegistered(String schema, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParameterSchema.of(json(schema)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void configuredProgram_declaresItsParameters_andABadSchemaNamesTheProgram() {
        ProgramDefinition render = ProgramDefinitions.parse("""
                [{"name": "render", "implementation": "java:a.Render",
                  "parameters": {"type": "object", "properties": {"width": {"type": "integer", "minimum": 16}}}}]""").get(0);
        assertEquals(List.of("Parameter 'width' must be at least 16; got '1'."), render.parameters().problems(Map.of("width", "1")));

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ProgramDefinitions.parse("""
                [{"name": "render", "implementation": "java:a.Render", "parameters": {"type": "object", "allOf": []}}]"""));
        assertTrue(e.getMessage().contains("program 'render'") && e.getMessage().contains("allOf"), e.getMessage());
        assertEquals(null, ProgramDefinitions.parse("[{\"name\": \"plain\", \"implementation\": \"java:a.P\"}]").get(0).parameters());
    }

    @Test
    void samplePrograms_declareTheParametersTheyRead_withTheDefaultsTheyApply() {
        ProgramRegistry samples = ProgramRegistry.samples();
        JsonNode wordFrequency = samples.find("word-frequency").orElseThrow().parameters().declared().path("properties");
        assertEquals(10, wordFrequency.path("top").path("default").asInt());
        assertEquals(1024 * 1024, wordFrequency.path("chunkBytes").path("default").asInt());
        assertEquals(true, wordFrequency.path("lowercase").path("default").asBoolean());
        assertEquals(1_000_000, samples.find("primes").orElseThrow().parameters().declared().path("properties").path("to")
                .path("default").asLong());
        assertEquals(List.of("Parameter 'top' must be at least 1; got '0'."),
                samples.find("word-frequency").orElseThrow().parameters().problems(Map.of("top", "0")));
        assertEquals(List.of("Parameter 'x' is not one this program takes; it takes none."),
                samples.find("checksum").orElseThrow().parameters().problems(Map.of("x", "1")));
    }
}
