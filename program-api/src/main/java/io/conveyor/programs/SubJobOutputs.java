package io.conveyor.programs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** The outputs of a job's successful subjobs, read one at a time in subjob order. */
public interface SubJobOutputs {

    /** How many subjobs succeeded. */
    int count();

    /** Calls {@code consumer} with each output in subjob order. */
    void forEach(OutputConsumer consumer) throws IOException;

    /** Receives one subjob output. */
    @FunctionalInterface
    interface OutputConsumer {
        void accept(int index, JsonNode output) throws IOException;
    }
}
