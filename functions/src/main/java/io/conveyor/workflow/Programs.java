package io.conveyor.workflow;

import io.conveyor.program.ProgramDefinition;
import io.conveyor.programs.Program;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The Java implementation of each program, loaded once by class name and shared (programs are stateless). */
final class Programs {
    private final Map<String, Program> loaded = new ConcurrentHashMap<>();

    Program of(ProgramDefinition definition) {
        return loaded.computeIfAbsent(definition.worker(), Programs::instantiate);
    }

    private static Program instantiate(String implementation) {
        String className = implementation.substring(ProgramDefinition.JAVA.length());
        try {
            Object program = Class.forName(className).getDeclaredConstructor().newInstance();
            if (program instanceof Program p) {
                return p;
            }
            throw new IllegalStateException(className + " does not implement " + Program.class.getName());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load program class " + className
                    + " (it needs a public no-argument constructor and must be in the functions jar)", e);
        }
    }
}
