package io.conveyor.config;

import java.util.List;

/** A required setting is missing or a setting has a value that cannot be used. Thrown at start-up. */
public final class ConfigurationException extends RuntimeException {
    private final List<String> problems;

    public ConfigurationException(List<String> problems) {
        super("Invalid configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem names the setting and says what value it needs. */
    public List<String> problems() {
        return problems;
    }
}
