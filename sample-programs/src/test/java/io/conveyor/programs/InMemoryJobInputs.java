package io.conveyor.programs;

import io.conveyor.programs.DeclaredInput;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Job inputs held in memory, for program unit tests. */
final class InMemoryJobInputs implements JobInputs {
    private final Map<String, String> parameters;
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    InMemoryJobInputs(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    InMemoryJobInputs file(String name, String content) {
        files.put(name, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    @Override
    public String jobId() {
        return "job-1";
    }

    @Override
    public int attempt() {
        return 1;
    }

    @Override
    public Map<String, String> parameters() {
        return parameters;
    }

    @Override
    public List<DeclaredInput> inputs() {
        List<DeclaredInput> inputs = new ArrayList<>();
        files.forEach((name, bytes) -> inputs.add(new DeclaredInput(name, bytes.length, "text/plain", null)));
        return inputs;
    }

    @Override
    public InputStream open(String name) {
        return new ByteArrayInputStream(files.get(name));
    }

    @Override
    public InputStream openRange(String name, long from, long to) {
        return new ByteArrayInputStream(Arrays.copyOfRange(files.get(name), (int) from, (int) to));
    }
}
