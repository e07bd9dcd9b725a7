package io.conveyor.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobObjectLayoutTest {

    @Test
    void everyObjectOfAJob_isUnderItsPrefix() {
        String prefix = JobObjectLayout.jobPrefix("j1");
        assertEquals("jobs/j1/", prefix);
        for (String key : new String[] {
            JobObjectLayout.input("j1", "a.txt"),
            JobObjectLayout.manifest("j1", 2),
            JobObjectLayout.collectedOutputs("j1", 2),
            JobObjectLayout.subJobOutput("j1", 2, 7),
            JobObjectLayout.result("j1", 2)
        }) {
            assertTrue(key.startsWith(prefix), key);
        }
        assertEquals("jobs/j1/attempts/2/subjobs/7/output.json", JobObjectLayout.subJobOutput("j1", 2, 7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "a/b", "a\\b", ""})
    void inputNames_thatAreNotPlainFileNames_areRefused(String name) {
        assertThrows(IllegalArgumentException.class, () -> JobObjectLayout.input("j1", name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "", ".hidden"})
    void jobIds_thatCouldLeaveThePrefix_areRefused(String id) {
        assertThrows(IllegalArgumentException.class, () -> JobObjectLayout.jobPrefix(id));
    }
}
