package io.conveyor.program;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What runs one operation of a program, as its definition names it: a Java class in the functions jar
 * ({@code java:com.example.Thumbnails}, run inside the workflow's own functions) or a Lambda function written in any
 * language ({@code lambda:thumbnail-worker}, {@code lambda:thumbnail-worker:live}, or
 * {@code lambda:arn:aws:lambda:eu-west-1:123456789012:function:thumbnail-worker[:live]}), invoked with the JSON of the
 * program function contract.
 *
 * @param kind   how it runs
 * @param target the class name, or the function's name, {@code name:qualifier} or ARN, as written after the prefix
 */
public record ProgramFunction(Kind kind, String target) {

    /** How a program function runs. */
    public enum Kind {
        /** A class implementing {@code io.conveyor.programs.Program}, in the functions jar. */
        JAVA("java:"),
        /** A Lambda function, invoked synchronously with the contract's JSON. */
        LAMBDA("lambda:"),
        /**
         * Machines outside Lambda that register with the API and take subjobs (see {@link ExternalWorker}); written
         * {@code external}, with no target, and only for the worker.
         */
        EXTERNAL("external");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    private static final Pattern JAVA_CLASS = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)+");
    /** Lambda's rules: a name of 1-64 letters, digits, '-' or '_'; a qualifier is $LATEST, a version or an alias. */
    private static final String NAME = "([A-Za-z0-9_-]{1,64})(?::(\\$LATEST|[A-Za-z0-9_-]{1,128}))?";
    private static final Pattern LAMBDA_NAME = Pattern.compile(NAME);
    private static final Pattern LAMBDA_ARN = Pattern.compile(
            "arn:(aws[a-z-]*):lambda:([a-z]{2}(?:-[a-z]+)+-\\d):(\\d{12}):function:" + NAME);

    public ProgramFunction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
    }

    /**
     * Reads what a definition names for {@code operation}.
     *
     * @throws IllegalArgumentException saying what may be written, when {@code text} is neither form
     */
    public static ProgramFunction parse(ProgramOperation operation, String text) {
        if (Kind.EXTERNAL.prefix().equals(text)) {
            if (operation != ProgramOperation.WORK) {
                throw new IllegalArgumentException("only the worker may be external; the " + operation.role()
                        + " must be java:<fully.qualified.ClassName> or lambda:<function>");
            }
            return new ProgramFunction(Kind.EXTERNAL, "");
        }
        if (text != null && text.startsWith(Kind.JAVA.prefix())) {
            String className = text.substring(Kind.JAVA.prefix().length());
            if (JAVA_CLASS.matcher(className).matches()) {
                return new ProgramFunction(Kind.JAVA, className);
            }
        }
        if (text != null && text.startsWith(Kind.LAMBDA.prefix())) {
            String function = text.substring(Kind.LAMBDA.prefix().length());
            if (LAMBDA_NAME.matcher(function).matches() || LAMBDA_ARN.matcher(function).matches()) {
                return new ProgramFunction(Kind.LAMBDA, function);
            }
        }
        throw new IllegalArgumentException("the " + operation.role() + " must be java:<fully.qualified.ClassName> (a "
                + "Program in the functions jar) or lambda:<function>, where <function> is a Lambda function's name "
                + "(my-" + operation.role() + "), its name and an alias or version (my-" + operation.role() + ":live), or "
                + "its ARN (arn:aws:lambda:eu-west-1:123456789012:function:my-" + operation.role() + "[:live])"
                + (operation == ProgramOperation.WORK ? ", or external (machines that register as workers)" : "")
                + "; was '" + text + "'");
    }

    /** Whether machines registered as workers run it, outside Lambda. */
    public boolean isExternal() {
        return kind == Kind.EXTERNAL;
    }

    public boolean isLambda() {
        return kind == Kind.LAMBDA;
    }

    /** Whether a Lambda reference is a full ARN (else a name, optionally with a qualifier, in the caller's account). */
    public boolean isArn() {
        return LAMBDA_ARN.matcher(requireLambda()).matches();
    }

    private String requireLambda() {
        if (kind != Kind.LAMBDA) {
            throw new IllegalStateException(this + " is not a Lambda function");
        }
        return target;
    }

    /** As a definition writes it: {@code java:<class>}, {@code lambda:<function>} or {@code external}. */
    @Override
    public String toString() {
        return kind.prefix() + target;
    }
}
