package io.conveyor.program;

/** The three operations of a program, each run by the function its definition names for it. */
public enum ProgramOperation {
    /** Turns a job into subjob inputs; run by the Split function. */
    SPLIT("split", "splitter"),
    /** Runs one subjob; run by the RunSubJob function. */
    WORK("work", "worker"),
    /** Combines the subjobs' outputs into the job's result; run by the Aggregate function. */
    AGGREGATE("aggregate", "aggregator");

    private final String operation;
    private final String role;

    ProgramOperation(String operation, String role) {
        this.operation = operation;
        this.role = role;
    }

    /** The operation's name in the program function contract ({@code "operation": "split"}). */
    public String operationName() {
        return operation;
    }

    /** The definition field that names what runs it ({@code splitter}, {@code worker}, {@code aggregator}). */
    public String role() {
        return role;
    }
}
