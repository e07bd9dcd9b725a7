package io.conveyor.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;

/** What runs a subjob on an external worker: the Java side of a program whose worker is {@code external}. */
@FunctionalInterface
public interface SubJobHandler {

    /**
     * Runs {@code subJob} and returns its output. The worker heartbeats the subjob while this runs.
     *
     * @throws DeclineException          to hand the subjob back unrun: it is offered to another worker
     * @throws RetryableFailureException when another try may succeed: retried with the program's policy
     * @throws Exception                 any other failure fails the subjob for good, with the exception's message
     */
    JsonNode run(SubJob subJob) throws Exception;

    /** Thrown by a handler that will not run a subjob (no licence free, the machine is draining): it goes elsewhere. */
    final class DeclineException extends Exception {
        public DeclineException(String reason) {
            super(reason);
        }
    }

    /** Thrown by a handler whose failure another try may cure (a lost connection, a busy device). */
    final class RetryableFailureException extends Exception {
        public RetryableFailureException(String message) {
            super(message);
        }
    }
}
