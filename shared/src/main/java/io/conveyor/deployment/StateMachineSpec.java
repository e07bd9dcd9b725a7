package io.conveyor.deployment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

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

    /**
     * Every substitution of the definition in one environment: {@link #substitutions}, and for each function it
     * invokes, {@code ${<name>FunctionArn}}, the ARN {@code functionArn} gives for the function's logical name.
     */
    public Map<String, String> substitutions(Function<String, String> functionArn) {
        Map<String, String> all = new LinkedHashMap<>(substitutions);
        functions.forEach(function -> all.put(function + "FunctionArn", functionArn.apply(function)));
        return all;
    }
}
