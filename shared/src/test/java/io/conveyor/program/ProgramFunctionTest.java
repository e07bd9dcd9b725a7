package io.conveyor.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.config.ConfigurationException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** How a program definition names what runs each operation: a Java class or a Lambda function. */
class ProgramFunctionTest {

    @Test
    void javaClasses_andLambdaNamesAliasesAndArns_areAccepted() {
        ProgramFunction java = ProgramFunction.parse(ProgramOperation.SPLIT, "java:com.example.Thumbnails");
        assertEquals(new ProgramFunction(ProgramFunction.Kind.JAVA, "com.example.Thumbnails"), java);
        assertFalse(java.isLambda());

        ProgramFunction name = ProgramFunction.parse(ProgramOperation.WORK, "lambda:thumb-work");
        assertTrue(name.isLambda());
        assertFalse(name.isArn());
        assertEquals("thumb-work", name.target());
        assertEquals("lambda:thumb-work", name.toString());

        assertEquals("thumb_work:live", ProgramFunction.parse(ProgramOperation.WORK, "lambda:thumb_work:live").target());
        assertEquals("w:$LATEST", ProgramFunction.parse(ProgramOperation.WORK, "lambda:w:$LATEST").target());
        assertEquals("w:12", ProgramFunction.parse(ProgramOperation.WORK, "lambda:w:12").target());

        ProgramFunction arn = ProgramFunction.parse(ProgramOperation.AGGREGATE,
                "lambda:arn:aws:lambda:eu-west-1:123456789012:function:thumb-aggregate:live");
        assertTrue(arn.isArn());
        assertEquals("arn:aws:lambda:eu-west-1:123456789012:function:thumb-aggregate:live", arn.target());
        assertTrue(ProgramFunction.parse(ProgramOperation.AGGREGATE,
                "lambda:arn:aws-cn:lambda:cn-north-1:123456789012:function:a").isArn());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "com.example.Thumbnails", "java:", "java:Thumbnails", "java:com.example.", "lambda:",
            "lambda:thumb work", "lambda:a:b:c", "lambda:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "lambda:arn:aws:lambda:eu-west-1:1234:function:a", "lambda:arn:aws:s3:eu-west-1:123456789012:function:a",
            "python:handler.main"})
    void anythingElse_isRefusedWithWhatToWrite(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProgramFunction.parse(ProgramOperation.WORK, text));
        assertEquals("the worker must be java:<fully.qualified.ClassName> (a Program in the functions jar) or "
                + "lambda:<function>, where <function> is a Lambda function's name (my-worker), its name and an alias or "
                + "version (my-worker:live), or its ARN (arn:aws:lambda:eu-west-1:123456789012:function:my-worker[:live]), "
                + "or external (machines that register as workers); was '" + text + "'", e.getMessage());
    }

    @Test
    void aDefinition_namesEachOperationOnItsOwn_orAllThroughImplementation() {
        List<ProgramDefinition> programs = ProgramDefinitions.parse("""
                [{"name": "thumbnails", "splitter": "lambda:thumb-split", "worker": "lambda:thumb-work:live",
                  "aggregator": "lambda:arn:aws:lambda:eu-west-1:123456789012:function:thumb-aggregate"},
                 {"name": "mixed", "implementation": "java:com.example.Mixed", "worker": "lambda:mixed-work"},
                 {"name": "plain", "implementation": "java:com.example.Plain"}]""");
        ProgramDefinition thumbnails = programs.get(0);
        assertEquals("lambda:thumb-split", thumbnails.function(ProgramOperation.SPLIT).toString());
        assertEquals("lambda:thumb-work:live", thumbnails.function(ProgramOperation.WORK).toString());
        assertEquals("lambda:arn:aws:lambda:eu-west-1:123456789012:function:thumb-aggregate",
                thumbnails.function(ProgramOperation.AGGREGATE).toString());
        ProgramDefinition mixed = programs.get(1);
        assertEquals("java:com.example.Mixed", mixed.splitter());
        assertEquals("lambda:mixed-work", mixed.worker());
        assertEquals("java:com.example.Mixed", mixed.aggregator());
        ProgramDefinition plain = programs.get(2);
        assertEquals(List.of("java:com.example.Plain", "java:com.example.Plain", "java:com.example.Plain"),
                List.of(plain.splitter(), plain.worker(), plain.aggregator()));
    }

    @Test
    void aDefinitionMissingAnOperation_orNamingItBadly_isRefusedNamingTheProgramAndTheField() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ProgramDefinitions.parse("""
                [{"name": "half", "splitter": "lambda:s", "worker": "lambda:w"}]"""));
        assertEquals(List.of("CONVEYOR_PROGRAMS: program 'half': give \"implementation\" (what runs all three operations) "
                + "or \"aggregator\"; the aggregator must be java:<fully.qualified.ClassName> or lambda:<function name, "
                + "name:alias or ARN>"), e.problems());
        e = assertThrows(ConfigurationException.class, () -> ProgramDefinitions.parse("""
                [{"name": "typo", "implementation": "lambda:s", "worker": "lamda:w"}]"""));
        assertTrue(e.problems().get(0).startsWith("CONVEYOR_PROGRAMS: program 'typo': the worker must be "
                + "java:<fully.qualified.ClassName>"), e.problems().toString());
    }
}
