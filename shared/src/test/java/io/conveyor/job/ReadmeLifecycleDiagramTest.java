package io.conveyor.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The lifecycle diagram in the README is drawn from {@link JobLifecycle}'s table, not kept by hand. */
class ReadmeLifecycleDiagramTest {

    static String diagram() {
        return "```mermaid\nstateDiagram-v2\n    [*] --> CREATED\n"
                + JobLifecycle.transitions().stream()
                        .map(t -> "    " + t.from() + " --> " + t.to() + ": " + t.event())
                        .collect(Collectors.joining("\n"))
                + "\n```";
    }

    @Test
    void readmeDiagram_matchesTheTransitionTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String between = readme.substring(readme.indexOf("<!-- lifecycle:start -->") + "<!-- lifecycle:start -->".length(),
                readme.indexOf("<!-- lifecycle:end -->")).strip();
        assertEquals(diagram(), between, "regenerate the README's lifecycle diagram from JobLifecycle");
    }
}
