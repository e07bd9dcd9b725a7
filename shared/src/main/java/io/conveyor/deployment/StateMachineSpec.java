package io.conveyor.deployment;

import java.util.Map;

/**
 * A state machine of the deployment: its definition file and the values substituted into it.
 *
 * @param name          its name (also the last part of its ARN)
 * @param definition    the classpath resource of its ASL file, from the {@code state-machines} module
 * @param substitutions {@code ${key}} to value; function ARNs are added per environment
 * @param functions     the logical names of the functions it invokes, whose ARNs it needs
 */
public record StateMachineSpec(String name, String definition, Map<String, String> substitutions,
        java.util.List<String> functions) {
    public StateMachineSpec {
        substitutions = Map.copyOf(substitutions);
        functions = java.util.List.copyOf(functions);
    }
}
