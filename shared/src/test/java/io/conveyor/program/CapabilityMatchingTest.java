package io.conveyor.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which workers may take a program's subjobs: the capabilities a worker advertises against those the program requires. */
class CapabilityMatchingTest {
    private static final WorkerCapabilities GPU_BOX = WorkerCapabilities.parse(
            List.of("gpu", "region=eu", "memoryGiB=128", "licence=maya"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "gpu, true",
            "fpga, false",
            "region=eu, true",
            "region=us, false",
            "region!=us, true",
            "region!=eu, false",
            "memoryGiB>=64, true",
            "memoryGiB>=128, true",
            "memoryGiB>128, false",
            "memoryGiB<=128, true",
            "memoryGiB<256, true",
            "memoryGiB<64, false",
            "memoryGiB=128.0, true",
            "cores>=4, false",
            // a label compared as a number is not met: it has no number
            "gpu>=1, false",
            // a value that is no number never meets a numeric requirement
            "region>=1, false"})
    void eachRequirement_isMetOnlyByWhatTheWorkerAdvertises(String requirement, boolean met) {
        assertEquals(met, CapabilityRequirement.parse(requirement).isMetBy(GPU_BOX), requirement);
    }

    @Test
    void unmet_namesEveryRequirementTheWorkerLacks_inTheProgramsOrder() {
        List<CapabilityRequirement> required = List.of("gpu", "memoryGiB>=256", "region=eu", "cores>=8").stream()
                .map(CapabilityRequirement::parse).toList();
        assertEquals(List.of("memoryGiB>=256", "cores>=8"),
                GPU_BOX.unmet(required).stream().map(CapabilityRequirement::toString).toList());
        assertTrue(WorkerCapabilities.parse(List.of("anything")).unmet(List.of()).isEmpty(), "no requirement: any worker");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1gpu", "memoryGiB>=", "memoryGiB>=lots", "memory GiB>=4", "memoryGiB>>4"})
    void malformedRequirements_areRefusedSayingWhatMayBeWritten(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CapabilityRequirement.parse(text));
        assertTrue(e.getMessage().contains(text.isEmpty() ? "a required capability" : text), e.getMessage());
    }

    @Test
    void aWorker_mayNotAdvertiseANameTwice_norAMalformedOne() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> WorkerCapabilities.parse(List.of("region=eu", "region=us")));
        assertTrue(twice.getMessage().contains("'region' is given twice"), twice.getMessage());
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> WorkerCapabilities.parse(List.of("memoryGiB>=64")));
        assertTrue(malformed.getMessage().contains("memoryGiB>=64"), malformed.getMessage());
        assertEquals(List.of("gpu", "memoryGiB=128", "region=eu"),
                WorkerCapabilities.parse(List.of("region=eu", "gpu", "memoryGiB=128")).asList());
    }

    @Test
    void externalPrograms_areReadFromTheRegistrySetting_withTheirCapabilitiesAndHeartbeat() {
        ProgramDefinition render = ProgramDefinitions.parse("""
                [{"name": "render", "implementation": "java:com.example.Render", "worker": "external",
                  "external": {"capabilities": ["gpu", "region=eu", "memoryGiB>=64"], "heartbeatSeconds": 20},
                  "subJobTimeoutSeconds": 7200}]""").get(0);
        assertTrue(render.hasExternalWorker());
        assertTrue(render.function(ProgramOperation.WORK).isExternal());
        assertFalse(render.function(ProgramOperation.SPLIT).isExternal());
        assertEquals(java.time.Duration.ofSeconds(20), render.external().heartbeat());
        assertEquals(List.of("gpu", "region=eu", "memoryGiB>=64"),
                render.external().requires().stream().map(CapabilityRequirement::toString).toList());
        assertEquals(java.time.Duration.ofHours(2), render.subJobTimeout(), "external subjobs are not held to Lambda's 15 minutes");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // an external worker without its settings
            "{\"name\": \"p\", \"implementation\": \"java:a.B\", \"worker\": \"external\"}",
            // settings without an external worker
            "{\"name\": \"p\", \"implementation\": \"java:a.B\", \"external\": {\"heartbeatSeconds\": 20}}",
            // only the worker may be external
            "{\"name\": \"p\", \"implementation\": \"external\", \"external\": {\"heartbeatSeconds\": 20}}",
            // a heartbeat no shorter than the subjob's limit could never time out first
            "{\"name\": \"p\", \"implementation\": \"java:a.B\", \"worker\": \"external\", \"subJobTimeoutSeconds\": 20, \"external\": {\"heartbeatSeconds\": 20}}",
            "{\"name\": \"p\", \"implementation\": \"java:a.B\", \"worker\": \"external\", \"external\": {\"heartbeatSeconds\": 1}}",
            "{\"name\": \"p\", \"implementation\": \"java:a.B\", \"worker\": \"external\", \"external\": {\"capabilities\": [\"ram>=x\"]}}"})
    void badExternalSettings_areRefusedNamingTheProgram(String program) {
        io.conveyor.config.ConfigurationException e = assertThrows(io.conveyor.config.ConfigurationException.class,
                () -> ProgramDefinitions.parse("[" + program + "]"));
        assertTrue(e.getMessage().contains("program 'p'"), e.getMessage());
    }
}
