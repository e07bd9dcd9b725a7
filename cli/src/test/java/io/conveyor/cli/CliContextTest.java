package io.conveyor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliContextTest {
    @Test
    void home_isHomeWhenSet_asEveryUnixToolReadsIt() {
        assertEquals(Path.of("/tmp/other-home"), CliContext.home(Map.of("HOME", "/tmp/other-home"), "/root"));
    }

    @Test
    void home_isTheJvmsUserHome_whenHomeIsUnsetOrBlank() {
        assertEquals(Path.of("/root"), CliContext.home(Map.of(), "/root"));
        assertEquals(Path.of("/root"), CliContext.home(Map.of("HOME", " "), "/root"));
    }
}
