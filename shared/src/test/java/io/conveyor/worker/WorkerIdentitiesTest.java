package io.conveyor.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.config.ConfigurationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deployment's worker identities, as {@code CONVEYOR_WORKER_IDENTITIES} gives them. */
class WorkerIdentitiesTest {
    private static WorkerIdentities of(String json) {
        return WorkerIdentities.from(Map.of(WorkerIdentities.SETTING, json));
    }

    @Test
    void anIdentity_worksForItselfAndTheOwnersNamed_andAnyoneElseForItselfOnly() {
        WorkerIdentities identities = of("{\"render-farm\": [\"bob\", \"alice\"], \"gpu-pool\": [\"carol\"]}");
        assertEquals(List.of("render-farm", "alice", "bob"), identities.ownersFor("render-farm"));
        assertEquals(List.of("gpu-pool", "carol"), identities.ownersFor("gpu-pool"));
        assertEquals(List.of("alice"), identities.ownersFor("alice"), "working for an identity is not the other way round");
        assertEquals(List.of("alice"), WorkerIdentities.from(Map.of()).ownersFor("alice"), "none by default");
    }

    @Test
    void aBadSetting_failsTheDeploymentSayingWhatToChange() {
        for (String bad : List.of("not json", "[\"alice\"]", "{\"farm\": []}", "{\"farm\": \"alice\"}",
                "{\"farm\": [1]}", "{\"farm\": [\" \"]}", "{\"\": [\"alice\"]}")) {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> of(bad), bad);
            assertTrue(e.problems().get(0).startsWith(WorkerIdentities.SETTING), e.problems().toString());
        }
    }
}
