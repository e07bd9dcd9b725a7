package io.conveyor.programs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/** Subjob outputs held in memory, for program unit tests. */
record InMemoryOutputs(List<JsonNode> outputs) implements SubJobOutputs {
    @Override
    public int count() {
        return outputs.size();
    }

    @Override
    public void forEach(OutputConsumer consumer) throws IOException {
        for (int i = 0; i < outputs.size(); i++) {
            consumer.accept(i, outputs.get(i));
        }
    }
}
