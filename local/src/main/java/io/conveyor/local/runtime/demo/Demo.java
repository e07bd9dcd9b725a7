package io.conveyor.local.runtime.demo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.deployment.ExecutionRuleSpec;
import io.conveyor.local.runtime.events.EventLog;
import io.conveyor.local.runtime.events.RecordedEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A sample job end to end, as a user of the HTTP API runs it: create a {@code word-frequency} job declaring two text
 * inputs, upload them through the presigned URLs the API returns, submit, follow the job's status and progress by
 * polling {@code GET /jobs/{id}}, then download the result through {@code GET /jobs/{id}/result}.
 */
public final class Demo {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Reads and writes amounts as the API writes them, as decimals: $0.00047500, never 4.75E-4. */
    private static final ObjectMapper DECIMALS = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    /** Each sample text is repeated this many times, so the job splits into several subjobs of 1 KiB. */
    private static final int REPEAT = 6;

    private final JobApiClient api;
    private final EventLog events;
    private final PrintStream out;
    private final Duration timeout;
    private final Duration pollEvery;

    /**
     * @param api       the API, as the demo's user
     * @param events    the runtime's event log, to show what the job published (may be null)
     * @param timeout   how long the job may take
     * @param pollEvery how often to read the job's status
     */
    public Demo(JobApiClient api, EventLog events, PrintStream out, Duration timeout, Duration pollEvery) {
        this.api = api;
        this.events = events;
        this.out = out;
        this.timeout = timeout;
        this.pollEvery = pollEvery;
    }

    /** Runs the demo; true when the job succeeded and its result was downloaded. */
    public boolean run() {
        long start = System.nanoTime();
        Map<String, byte[]> inputs = new LinkedHashMap<>();
        inputs.put("river.txt", sample("river.txt"));
        inputs.put("orchard.txt", sample("orchard.txt"));

        StringBuilder declared = new StringBuilder();
        inputs.forEach((name, bytes) -> declared.append(declared.length() == 0 ? "" : ",")
                .append("{\"name\":\"").append(name).append("\",\"size\":").append(bytes.length)
                .append(",\"contentType\":\"text/plain\"}"));
        String body = "{\"program\":\"word-frequency\",\"parameters\":{\"top\":10,\"chunkBytes\":1024},\"inputs\":["
                + declared + "]}";
        say("POST /jobs " + body);
        JobApiClient.Response created = api.post("/jobs", body);
        if (created.status() != 201) {
            return fail("creating the job answered " + created.status() + ": " + created.text());
        }
        JsonNode job = created.json().path("job");
        String id = job.path("jobId").asText();
        say("created job " + id + " (" + job.path("status").asText() + "), " + created.json().path("uploads").size()
                + " inputs to upload");

        for (JsonNode upload : created.json().path("uploads")) {
            String name = upload.path("name").asText();
            Map<String, String> headers = new HashMap<>();
            upload.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            URI url = URI.create(upload.path("url").asText());
            JobApiClient.Response put = api.send(upload.path("method").asText("PUT"), url, headers, inputs.get(name));
            if (put.status() / 100 != 2) {
                return fail("uploading " + name + " answered " + put.status() + ": " + put.text());
            }
            say("uploaded " + name + " (" + inputs.get(name).length + " bytes) to its presigned URL "
                    + url.getScheme() + "://" + url.getAuthority() + url.getPath());
        }

        JobApiClient.Response submitted = api.post("/jobs/" + id + "/submit", null);
        if (submitted.status() / 100 != 2) {
            return fail("submitting answered " + submitted.status() + ": " + submitted.text());
        }
        say("POST /jobs/" + id + "/submit -> " + submitted.status() + " " + submitted.json().path("status").asText());

        JsonNode last = follow(id);
        if (last == null) {
            return fail("the job did not finish within " + timeout.toSeconds() + " s");
        }
        String status = last.path("status").asText();
        if (!status.equals("SUCCEEDED")) {
            return fail("the job ended " + status + ": " + last.path("error"));
        }

        JobApiClient.Response result = api.get("/jobs/" + id + "/result");
        if (result.status() != 200) {
            return fail("GET /jobs/" + id + "/result answered " + result.status() + ": " + result.text());
        }
        URI url = URI.create(result.json().path("url").asText());
        JobApiClient.Response download = api.send("GET", url, Map.of(), null);
        if (download.status() != 200) {
            return fail("downloading the result answered " + download.status() + ": " + download.text());
        }
        say("GET /jobs/" + id + "/result -> presigned " + url.getScheme() + "://" + url.getAuthority() + url.getPath());
        try {
            out.println(JSON.writeValueAsString(JSON.readTree(download.text())));
        } catch (IOException e) {
            out.println(download.text());
        }
        if (events != null) {
            // The job's status is written before its event is published, and Finalize records the rest of what it
            // consumed as it returns, before its execution ends: give both a moment, so the usage shown is complete.
            long until = System.nanoTime() + 2_000_000_000L;
            while ((events.matching(e -> e.detail().path("jobId").asText().equals(id)
                    && e.detail().path("newStatus").asText().equals(status)).isEmpty()
                    || events.matching(e -> e.detailType().equals(ExecutionRuleSpec.DETAIL_TYPE)
                            && e.detail().path("name").asText().equals(id + "-1")
                            && !e.detail().path("status").asText().equals("RUNNING")).isEmpty())
                    && System.nanoTime() < until) {
                pause(Duration.ofMillis(20));
            }
            for (RecordedEvent e : events.matching(e -> e.detail().path("jobId").asText().equals(id))) {
                say("event " + e.detailType() + " on " + e.bus() + ": " + e.detail().path("oldStatus").asText() + " -> "
                        + e.detail().path("newStatus").asText());
            }
        }
        JsonNode ended = exact(api.get("/jobs/" + id).text()).path("job");
        say("usage " + decimals(ended.path("usage")));
        say("cost in US dollars " + decimals(ended.path("cost")));
        say(String.format("job %s SUCCEEDED; the demo took %.1f s", id, (System.nanoTime() - start) / 1e9));
        return true;
    }

    private static JsonNode exact(String json) {
        try {
            return DECIMALS.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("the API answered something other than JSON: " + json, e);
        }
    }

    private static String decimals(JsonNode node) {
        try {
            return DECIMALS.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the job until it ends, printing each change of status or progress; null on timeout. */
    private JsonNode follow(String id) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String shown = "";
        while (System.nanoTime() < deadline) {
            JobApiClient.Response r = api.get("/jobs/" + id);
            if (r.status() != 200) {
                say("GET /jobs/" + id + " answered " + r.status() + ": " + r.text());
                return null;
            }
            JsonNode job = r.json().path("job");
            String status = job.path("status").asText();
            JsonNode p = job.path("progress");
            String line = String.format("%-13s subjobs: %d total, %d running, %d succeeded, %d failed", status,
                    p.path("total").asInt(), p.path("running").asInt(), p.path("succeeded").asInt(), p.path("failed").asInt());
            if (!line.equals(shown)) {
                say(line);
                shown = line;
            }
            if (TERMINAL.contains(status)) {
                return job;
            }
            if (!pause(pollEvery)) {
                return null;
            }
        }
        return null;
    }

    private static boolean pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] sample(String name) {
        try (InputStream in = Demo.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the demo text " + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).repeat(REPEAT).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void say(String line) {
        out.println("[demo] " + line);
    }

    private boolean fail(String why) {
        out.println("[demo] FAILED: " + why);
        return false;
    }
}
