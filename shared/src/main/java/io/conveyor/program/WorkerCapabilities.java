package io.conveyor.program;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a worker advertises when it registers: labels ({@code gpu}) and values ({@code region=eu},
 * {@code memoryGiB=128}), each name at most once. Immutable.
 */
public final class WorkerCapabilities {
    /** The most capabilities one worker may advertise. */
    public static final int MAX = 64;
    private static final Pattern FORM = Pattern.compile("(" + CapabilityRequirement.NAME + ")(?:=(.{1,256}))?");

    /** Name to value; a label's value is the empty string. */
    private final Map<String, String> values;

    private WorkerCapabilities(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Reads what a worker advertises.
     *
     * @throws IllegalArgumentException saying what may be written, for a malformed or repeated capability
     */
    public static WorkerCapabilities parse(Collection<String> advertised) {
        if (advertised.size() > MAX) {
            throw new IllegalArgumentException("a worker may advertise at most " + MAX + " capabilities; got " + advertised.size());
        }
        Map<String, String> values = new TreeMap<>();
        for (String text : advertised) {
            Matcher m = FORM.matcher(text == null ? "" : text.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("a capability is a label (gpu) or a name and a value (region=eu, "
                        + "memoryGiB=128), its name 1-64 letters, digits, '.', '_' or '-' starting with a letter; was '" + text + "'");
            }
            String value = m.group(2) == null ? "" : m.group(2).strip();
            if (values.putIfAbsent(m.group(1), value) != null) {
                throw new IllegalArgumentException("the capability '" + m.group(1) + "' is given twice; give each name once");
            }
        }
        return new WorkerCapabilities(values);
    }

    /** The value advertised for {@code name} (empty string for a label); empty when not advertised. */
    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The requirements among {@code required} this worker does not meet, in their order; empty when it meets all. */
    public List<CapabilityRequirement> unmet(List<CapabilityRequirement> required) {
        return required.stream().filter(r -> !r.isMetBy(this)).toList();
    }

    /** As the worker advertised them, in name order: {@code gpu}, {@code region=eu}. */
    public List<String> asList() {
        return values.entrySet().stream().map(e -> e.getValue().isEmpty() ? e.getKey() : e.getKey() + "=" + e.getValue())
                .toList();
    }

    @Override
    public String toString() {
        return asList().toString();
    }
}
