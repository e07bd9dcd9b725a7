package io.conveyor.workflow;

import io.conveyor.programs.DeclaredInput;
import io.conveyor.job.Job;
import io.conveyor.programs.JobInputs;
import io.conveyor.storage.JobObjectLayout;
import io.conveyor.storage.ObjectStore;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** A job's parameters and its input files in the bucket, as programs see them. */
final class StoredJobInputs implements JobInputs {
    private final Job job;
    private final ObjectStore objects;

    StoredJobInputs(Job job, ObjectStore objects) {
        this.job = job;
        this.objects = objects;
    }

    @Override
    public String jobId() {
        return job.id();
    }

    @Override
    public int attempt() {
        return job.attempts().size();
    }

    @Override
    public Map<String, String> parameters() {
        return job.parameters();
    }

    @Override
    public List<DeclaredInput> inputs() {
        return job.inputs();
    }

    @Override
    public InputStream open(String name) {
        return objects.open(JobObjectLayout.input(job.id(), declared(name)));
    }

    @Override
    public InputStream openRange(String name, long from, long to) {
        return objects.openRange(JobObjectLayout.input(job.id(), declared(name)), from, to);
    }

    private String declared(String name) {
        if (job.inputs().stream().noneMatch(i -> i.name().equals(name))) {
            throw new IllegalArgumentException("job " + job.id() + " has no input named '" + name + "'");
        }
        return name;
    }
}
