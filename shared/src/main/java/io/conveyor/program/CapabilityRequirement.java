package io.conveyor.program;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One capability a worker must have to take a program's subjobs, as the program's definition writes it: a label
 * ({@code gpu}), a value ({@code region=eu}, {@code region!=us}) or a number compared with {@code >=}, {@code <=},
 * {@code >} or {@code <} ({@code memoryGiB>=64}).
 *
 * @param name     what the worker must advertise, 1-64 letters, digits, '.', '_' or '-', starting with a letter
 * @param operator how the worker's value is compared, {@link Operator#PRESENT} for a label
 * @param value    what it is compared with; empty for a label
 */
public record CapabilityRequirement(String name, Operator operator, String value) {

    /** How a worker's value of the capability is compared with the requirement's. */
    public enum Operator {
        PRESENT(""), EQUALS("="), NOT_EQUALS("!="), AT_LEAST(">="), AT_MOST("<="), MORE_THAN(">"), LESS_THAN("<");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean numeric() {
            return this == AT_LEAST || this == AT_MOST || this == MORE_THAN || this == LESS_THAN;
        }
    }

    static final String NAME = "[A-Za-z][A-Za-z0-9._-]{0,63}";
    /** The operators longest first, so {@code >=} is not read as {@code >} followed by {@code =64}. */
    private static final Pattern FORM = Pattern.compile("(" + NAME + ")(?:(!=|>=|<=|=|>|<)(.{1,256}))?");

    public CapabilityRequirement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(value, "value");
    }

    /**
     * Reads a requirement as a program definition writes it.
     *
     * @throws IllegalArgumentException saying what may be written
     */
    public static CapabilityRequirement parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("a required capability is a label (gpu), a value (region=eu, region!=us) "
                    + "or a number compared with >=, <=, > or < (memoryGiB>=64), its name 1-64 letters, digits, '.', '_' "
                    + "or '-' starting with a letter; was '" + text + "'");
        }
        if (m.group(2) == null) {
            return new CapabilityRequirement(m.group(1), Operator.PRESENT, "");
        }
        Operator operator = java.util.Arrays.stream(Operator.values()).filter(o -> o.symbol().equals(m.group(2)))
                .findFirst().orElseThrow();
        String value = m.group(3).strip();
        if (operator.numeric() && number(value).isEmpty()) {
            throw new IllegalArgumentException("the required capability '" + text + "' compares with " + operator.symbol()
                    + ", which needs a number after it (memoryGiB>=64); was '" + value + "'");
        }
        return new CapabilityRequirement(m.group(1), operator, value);
    }

    /** Whether a worker with {@code capabilities} meets this requirement. */
    public boolean isMetBy(WorkerCapabilities capabilities) {
        Optional<String> offered = capabilities.value(name);
        if (offered.isEmpty()) {
            return false;
        }
        String have = offered.get();
        return switch (operator) {
            case PRESENT -> true;
            case EQUALS -> have.equals(value) || numbersEqual(have, value);
            case NOT_EQUALS -> !(have.equals(value) || numbersEqual(have, value));
            case AT_LEAST, AT_MOST, MORE_THAN, LESS_THAN -> number(have).map(h -> {
                int c = h.compareTo(number(value).orElseThrow());
                return switch (operator) {
                    case AT_LEAST -> c >= 0;
                    case AT_MOST -> c <= 0;
                    case MORE_THAN -> c > 0;
                    default -> c < 0;
                };
            }).orElse(false);
        };
    }

    private static boolean numbersEqual(String a, String b) {
        Optional<BigDecimal> x = number(a);
        Optional<BigDecimal> y = number(b);
        return x.isPresent() && y.isPresent() && x.get().compareTo(y.get()) == 0;
    }

    static Optional<BigDecimal> number(String text) {
        try {
            return text.length() > 64 ? Optional.empty() : Optional.of(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** As a definition writes it: {@code gpu}, {@code region=eu}, {@code memoryGiB>=64}. */
    @Override
    public String toString() {
        return name + operator.symbol() + value;
    }
}
