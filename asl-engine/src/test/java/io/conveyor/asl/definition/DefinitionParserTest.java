package io.conveyor.asl.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The definitions AWS rejects, and the diagnostics (code, message, where) in its InvalidDefinition form. */
class DefinitionParserTest {

  /** A definition with one state {@code S} made of {@code fields}, and a Pass state {@code Done}. */
  private static String oneState(String fields) {
    return "{\"StartAt\":\"S\",\"States\":{\"S\":{" + fields + "},\"Done\":{\"Type\":\"Pass\",\"End\":true}}}";
  }

  private static List<InvalidDefinitionException.Diagnostic> rejected(String definition) {
    return assertThrows(InvalidDefinitionException.class, () -> DefinitionParser.parse(definition)).diagnostics();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "\"Type\":\"Pass\",\"End\":true,\"Next\":\"Done\"|The fields \"Next\" and \"End\" are mutually exclusive|/States/S",
      "\"Type\":\"Pass\"|These fields are required: [Next]|/States/S",
      "\"End\":true|These fields are required: [Type]|/States/S",
      "\"Type\":\"Sleep\",\"End\":true|Value is not a valid state type: Sleep|/States/S/Type",
      "\"Type\":\"Task\",\"End\":true|These fields are required: [Resource]|/States/S",
      "\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"TimeoutSeconds\":5,\"HeartbeatSeconds\":5,\"End\":true|HeartbeatSeconds must be smaller than TimeoutSeconds|/States/S",
      "\"Type\":\"Choice\"|These fields are required: [Choices]|/States/S",
      "\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.x\",\"Next\":\"Done\"}]|A Choice rule must have a Variable and a comparison operator|/States/S/Choices/0",
      "\"Type\":\"Wait\",\"Seconds\":1,\"Timestamp\":\"2026-01-01T00:00:00Z\",\"End\":true|A Wait state must contain exactly one of Seconds, SecondsPath, Timestamp, or TimestampPath|/States/S",
      "\"Type\":\"Parallel\",\"End\":true|These fields are required: [Branches]|/States/S",
      "\"Type\":\"Map\",\"End\":true|These fields are required: [ItemProcessor]|/States/S",
      "\"Type\":\"Pass\",\"End\":true,\"Parameters\":{},\"QueryLanguage\":\"JSONata\"|The field 'Parameters' is not supported when the 'QueryLanguage' is 'JSONata'|/States/S/Parameters",
      "\"Type\":\"Pass\",\"End\":true,\"Output\":{}|The field 'Output' is not supported when the 'QueryLanguage' is 'JSONPath'|/States/S/Output",
      "\"Type\":\"Task\",\"Resource\":\"r\",\"End\":true,\"Catch\":[{\"ErrorEquals\":[\"States.ALL\",\"X\"],\"Next\":\"Done\"}]|States.ALL must appear alone in ErrorEquals|/States/S/Catch/0/ErrorEquals",
      "\"Type\":\"Task\",\"Resource\":\"r\",\"End\":true,\"Catch\":[{\"ErrorEquals\":[\"X\"]}]|These fields are required: [Next]|/States/S/Catch/0",
      "\"Type\":\"Task\",\"Resource\":\"r\",\"End\":true,\"Retry\":[{\"IntervalSeconds\":1}]|These fields are required: [ErrorEquals]|/States/S/Retry/0"})
  void aState_missingOrMisusingAField_isRejectedWithAwssMessageAndWhereItIs(String fields, String message,
      String location) {
    List<InvalidDefinitionException.Diagnostic> d = rejected(oneState(fields));
    assertEquals(List.of(new InvalidDefinitionException.Diagnostic("SCHEMA_VALIDATION_FAILED", message, location)),
        d);
  }

  @Test
  void aTransitionToAStateThatDoesNotExist_isAMissingTransitionTarget() {
    List<InvalidDefinitionException.Diagnostic> d = rejected(oneState("\"Type\":\"Pass\",\"Next\":\"Nowhere\""));
    assertEquals(List.of(new InvalidDefinitionException.Diagnostic("MISSING_TRANSITION_TARGET",
        "Missing 'Next' target: Nowhere", "/States/S/Next")), d);
  }

  @Test
  void aStartAtThatNamesNoState_isNotReachable() {
    List<InvalidDefinitionException.Diagnostic> d = rejected("""
        {"StartAt":"Nope","States":{"S":{"Type":"Pass","End":true}}}""");
    assertEquals(List.of(new InvalidDefinitionException.Diagnostic("MISSING_TRANSITION_TARGET",
        "State \"Nope\" is not reachable.", "/StartAt")), d);
  }

  @Test
  void aDefinitionWithoutStartAtOrStates_namesWhatIsRequired() {
    assertEquals(List.of(new InvalidDefinitionException.Diagnostic("SCHEMA_VALIDATION_FAILED",
        "These fields are required: [StartAt, States]", "/")), rejected("{}"));
  }

  @Test
  void problemsInNestedProgramsAreFound_andAllAreReportedAtOnce() {
    InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> DefinitionParser.parse("""
        {"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Gone","Branches":[
          {"StartAt":"B","States":{"B":{"Type":"Task","End":true}}}]}}}"""));
    assertEquals(2, e.diagnostics().size(), e.getMessage());
    assertEquals("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: "
        + "[Resource] at /States/P/Branches[0]/States/B, MISSING_TRANSITION_TARGET: Missing 'Next' target: Gone at "
        + "/States/P/Next'", e.getMessage());
  }

  @Test
  void text_thatIsNotJson_isAnInvalidJsonDescription() {
    assertEquals("INVALID_JSON_DESCRIPTION", rejected("{\"StartAt\":").get(0).code());
  }
}
