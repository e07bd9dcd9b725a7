package io.conveyor.program;

/** How retry delays are randomised, as Step Functions' {@code JitterStrategy} names it. */
public enum JitterStrategy {
    /** Exactly the computed delay. */
    NONE,
    /** A uniformly random delay between zero and the computed delay, which spreads retries of many subjobs. */
    FULL
}
