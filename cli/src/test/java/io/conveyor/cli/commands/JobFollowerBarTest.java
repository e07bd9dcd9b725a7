package io.conveyor.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.cli.output.Output;
import io.conveyor.cli.output.ProgressDisplay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The bar a followed job shows, as an 80-column terminal draws it. */
class JobFollowerBarTest {
    private static final String JOB_ID = "1d06d18a-935d-4416-9c29-8a0e07235de7";

    @Test
    void at80Columns_theBarKeepsRoomNextToTheNameCountsAndStatus() {
        String frame = lastFrame(80);

        assertTrue(frame.length() <= 80, frame.length() + " columns: " + frame);
        assertTrue(frame.startsWith("Job 1d06d18a"), frame);
        Matcher bar = Pattern.compile("\\[([^\\]]*)\\]").matcher(frame);
        assertTrue(bar.find(), frame);
        assertTrue(bar.group(1).length() >= 10, "a bar of " + bar.group(1).length() + " characters: " + frame);
        assertTrue(frame.contains("5/12"), frame);
        assertTrue(frame.contains("RUNNING, 3 running, 0 failed"), frame);
    }

    @Test
    void barName_isTheJobIdsFirstEightCharacters() {
        assertEquals("Job 1d06d18a", JobFollower.barName(JOB_ID));
        assertEquals("Job short", JobFollower.barName("short"));
    }

    private static String lastFrame(int width) {
        StringWriter err = new StringWriter();
        Output output = new Output(new PrintWriter(new StringWriter()), new PrintWriter(err), false, true, width);
        try (ProgressDisplay bar = output.count(JobFollower.barName(JOB_ID), 12)) {
            bar.stepTo(5);
            bar.message("RUNNING, 3 running, 0 failed");
        }
        String[] frames = err.toString().strip().split("\r");
        return frames[frames.length - 1].strip();
    }
}
