package io.conveyor.programs.lambda;

/**
 * A program's Lambda function failed in a way retrying cannot cure: it reported an error other than the contract's
 * retryable ones, answered with JSON the contract does not allow, or Lambda refused the call (no such function, no
 * permission, a payload too large). Users see it as {@code Program.Failed} with this message.
 */
public class ProgramFunctionException extends RuntimeException {
    public ProgramFunctionException(String message) {
        super(message);
    }
}
