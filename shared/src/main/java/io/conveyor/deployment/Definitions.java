package io.conveyor.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * State machine definitions as deployed: the ASL file from the {@code state-machines} module with its
 * {@code ${name}} placeholders replaced, exactly as CloudFormation's definition substitutions do it.
 */
public final class Definitions {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    private Definitions() {}

    /** The text of a definition resource on the class path. */
    public static String load(String resource) {
        try (InputStream in = Definitions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no state machine definition " + resource + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    /**
     * {@code template} with every placeholder replaced.
     *
     * @throws IllegalArgumentException naming a placeholder that {@code values} does not give
     */
    public static String substitute(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for ${" + m.group(1) + "} in the state machine definition");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The definition of {@code machine} with {@linkplain StateMachineSpec#substitutions(java.util.function.Function) its substitutions}. */
    public static String render(StateMachineSpec machine, java.util.function.Function<String, String> functionArn) {
        return substitute(load(machine.definition()), machine.substitutions(functionArn));
    }
}
