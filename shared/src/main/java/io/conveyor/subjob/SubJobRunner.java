package io.conveyor.subjob;

import java.util.Objects;

/** What ran one attempt of a subjob: a Lambda function of the deployment, or an external worker. */
public sealed interface SubJobRunner {

    /**
     * A function of the deployment's catalogue ran the attempt.
     *
     * @param name            the function's catalogue name ({@code RunSubJob})
     * @param programFunction for a program whose worker is a Lambda function of its own, that function as the program
     *                        names it (name, {@code name:qualifier} or ARN), which the catalogue's function invoked;
     *                        {@code null} for a program run inside the catalogue's function
     */
    record Function(String name, String programFunction) implements SubJobRunner {
        public Function {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * An external worker ran the attempt.
     *
     * @param id   the id the API gave it at registration
     * @param name the name it registered with, or {@code null}
     */
    record Worker(String id, String name) implements SubJobRunner {
        public Worker {
            Objects.requireNonNull(id, "id");
        }
    }
}
