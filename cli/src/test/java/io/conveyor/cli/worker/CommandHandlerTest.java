package io.conveyor.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code conveyor worker}'s command per subjob, run as a real process through {@code sh}. */
class CommandHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SubJob subJob(String input) throws Exception {
        return new SubJob("job-1.1.3.claim", "render", "job-1", 1, 3, JSON.readTree(input), Map.of("scale", "2", "out-dir", "/x"),
                Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    private static CommandHandler sh(String script, boolean inputInFile) {
        return new CommandHandler(List.of("sh", "-c", script), inputInFile, 75);
    }

    @Test
    void theInputIsOnStandardInput_theParametersInTheEnvironment_andJsonOutputStaysJson() throws Exception {
        var output = sh("read line; printf '{\"in\": %s, \"scale\": %s, \"dir\": \"%s\", \"index\": %s}' \"$line\" "
                + "\"$CONVEYOR_PARAM_SCALE\" \"$CONVEYOR_PARAM_OUT_DIR\" \"$CONVEYOR_SUBJOB_INDEX\"", false)
                .run(subJob("{\"frame\":7}"));
        assertEquals(JSON.readTree("{\"in\": {\"frame\":7}, \"scale\": 2, \"dir\": \"/x\", \"index\": 3}"), output);
    }

    @Test
    void withInputFile_theInputIsInTheNamedFile_andPlainTextOutputBecomesAJsonString() throws Exception {
        var output = sh("printf 'frames: '; cat \"$CONVEYOR_INPUT_FILE\"", true).run(subJob("[1,2]"));
        assertEquals(JSON.getNodeFactory().textNode("frames: [1,2]"), output);
    }

    @Test
    void theDeclineStatus_handsTheSubjobBack_andAnyOtherFailsItWithStandardError() {
        SubJobHandler.DeclineException declined = assertThrows(SubJobHandler.DeclineException.class,
                () -> sh("echo 'no licence free' >&2; exit 75", false).run(subJob("{}")));
        assertTrue(declined.getMessage().contains("no licence free"), declined.getMessage());
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> sh("echo 'scene is corrupt' >&2; exit 3", false).run(subJob("{}")));
        assertEquals("the command exited with 3: scene is corrupt", failed.getMessage());
    }
}
