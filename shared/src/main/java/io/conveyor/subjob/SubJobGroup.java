package io.conveyor.subjob;

import io.conveyor.job.JobError;
import io.conveyor.persistence.Timestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How subjobs sit in the subjobs table: {@value #SIZE} consecutive subjobs of a job share one item, keyed by the job
 * and the index of the group's first subjob, with each subjob a map attribute of its own, {@code s0} for the group's
 * first to {@code s15} for its last ({@link #entryName}). Top-level attributes rather than entries of one map: DynamoDB
 * Local parses an update's paths under its write lock, and a transaction starting fifteen subjobs took 5.3 ms with
 * {@code #s5.#status} paths against 7.4 ms with {@code #subJobs.#i5.#status}.
 *
 * <p>Why groups: DynamoDB charges per item touched, and a transaction's cost grows with its items. A batch of subjobs
 * starts and ends in one update per group instead of one per subjob; on DynamoDB Local a transaction of 15 items
 * took 13.7 ms and the same changes to one item 2.8 ms. Sixteen subjobs keep an item below DynamoDB's 400 KB (about
 * 270 KB at worst) even with every output kept inline at its longest ({@link SubJobOutcome#MAX_KEPT_OUTPUT_BYTES})
 * and every error message too ({@link #MAX_KEPT_MESSAGE_CHARS} characters, up to three bytes each).
 */
final class SubJobGroup {
    /** Subjobs per item. */
    static final int SIZE = 16;
    /** The longest error message kept with a subjob; longer ones are cut, saying so. */
    static final int MAX_KEPT_MESSAGE_CHARS = 4096;

    static final String JOB_ID = "jobId";
    /** The table's sort key: the index of the group's first subjob. */
    static final String FIRST_INDEX = "subJobIndex";
    static final String JOB_ATTEMPT = "jobAttempt";
    static final String MANIFEST_KEY = "manifestKey";

    // A subjob's entry.
    static final String STATUS = "status";
    static final String ATTEMPTS = "attempts";
    static final String STARTED_AT = "startedAt";
    static final String DURATION_MILLIS = "durationMillis";
    static final String OUTPUT_KEY = "outputKey";
    static final String OUTPUT = "output";
    static final String ERROR_CODE = "errorCode";
    static final String ERROR_MESSAGE = "errorMessage";
    /**
     * Until when the worker invocation that took a subjob holds it (a sortable timestamp; a lease it renews while it
     * runs it): no other invocation takes it before then, unless that one lets it go first. Not part of {@link SubJob}: only the store's
     * conditional writes read it.
     */
    static final String HELD_UNTIL = "heldUntil";
    /**
     * The function that ran a Lambda subjob, kept once for all its attempts: within a job attempt every attempt of a
     * batch runs on the same function. A map of {@link #RUNNER_NAME} and, for a program that is a Lambda function of
     * its own, {@link #RUNNER_PROGRAM}.
     */
    static final String RAN_ON = "ranOn";
    /** The external workers that ran a subjob, one per attempt: maps of {@link #RUNNER_ID} and {@link #RUNNER_NAME}. */
    static final String WORKERS = "workers";
    static final String RUNNER_NAME = "name";
    static final String RUNNER_PROGRAM = "program";
    static final String RUNNER_ID = "id";

    private static final Pattern ENTRY_NAME = Pattern.compile("s([0-9]+)");

    private SubJobGroup() {}

    /** The index of the first subjob in the group that holds subjob {@code index}. */
    static int firstIndex(int index) {
        return index - index % SIZE;
    }

    /** The attribute that holds subjob {@code index} in its group's item. */
    static String entryName(int index) {
        return "s" + (index - firstIndex(index));
    }

    /** The key of the item that holds subjob {@code index} of {@code jobId}. */
    static Map<String, AttributeValue> key(String jobId, int index) {
        return Map.of(JOB_ID, AttributeValue.fromS(jobId),
                FIRST_INDEX, AttributeValue.fromN(Integer.toString(firstIndex(index))));
    }

    /**
     * The item of one group: subjobs of one job attempt and one group. The input key they share (the manifest, as the
     * workflow registers them) is kept once, and only one that differs from the first subjob's is kept with its entry.
     */
    static Map<String, AttributeValue> item(List<SubJob> group) {
        SubJob first = group.get(0);
        Map<String, AttributeValue> item = new HashMap<>(key(first.jobId(), first.index()));
        for (SubJob s : group) {
            Map<String, AttributeValue> entry = entry(s);
            if (!Objects.equals(s.manifestKey(), first.manifestKey())) {
                entry.put(MANIFEST_KEY, s.manifestKey() == null ? AttributeValue.fromNul(true) : AttributeValue.fromS(s.manifestKey()));
            }
            item.put(entryName(s.index()), AttributeValue.fromM(entry));
        }
        item.put(JOB_ATTEMPT, AttributeValue.fromN(Integer.toString(first.jobAttempt())));
        if (first.manifestKey() != null) {
            item.put(MANIFEST_KEY, AttributeValue.fromS(first.manifestKey()));
        }
        return item;
    }

    private static Map<String, AttributeValue> entry(SubJob s) {
        Map<String, AttributeValue> entry = new HashMap<>();
        entry.put(STATUS, AttributeValue.fromS(s.status().name()));
        entry.put(ATTEMPTS, AttributeValue.fromN(Integer.toString(s.attempts())));
        if (s.startedAt() != null) {
            entry.put(STARTED_AT, AttributeValue.fromS(Timestamps.sortable(s.startedAt())));
        }
        if (s.duration() != null) {
            entry.put(DURATION_MILLIS, AttributeValue.fromN(Long.toString(s.duration().toMillis())));
        }
        if (s.outputKey() != null) {
            entry.put(OUTPUT_KEY, AttributeValue.fromS(s.outputKey()));
        }
        if (s.output() != null) {
            entry.put(OUTPUT, AttributeValue.fromS(s.output()));
        }
        if (s.error() != null) {
            entry.put(ERROR_CODE, AttributeValue.fromS(s.error().code()));
            entry.put(ERROR_MESSAGE, AttributeValue.fromS(keptMessage(s.error().message())));
        }
        List<AttributeValue> workers = new ArrayList<>();
        for (SubJobRunner runner : s.runners()) {
            if (runner instanceof SubJobRunner.Function function) {
                entry.put(RAN_ON, runner(function));
            } else {
                workers.add(runner((SubJobRunner.Worker) runner));
            }
        }
        if (!workers.isEmpty()) {
            entry.put(WORKERS, AttributeValue.fromL(workers));
        }
        return entry;
    }

    /** How {@code function} is kept in a subjob's entry. */
    static AttributeValue runner(SubJobRunner.Function function) {
        Map<String, AttributeValue> m = new HashMap<>(Map.of(RUNNER_NAME, AttributeValue.fromS(function.name())));
        if (function.programFunction() != null) {
            m.put(RUNNER_PROGRAM, AttributeValue.fromS(function.programFunction()));
        }
        return AttributeValue.fromM(m);
    }

    /** How {@code worker} is kept as one attempt's in a subjob's entry. */
    static AttributeValue runner(SubJobRunner.Worker worker) {
        Map<String, AttributeValue> m = new HashMap<>(Map.of(RUNNER_ID, AttributeValue.fromS(worker.id())));
        if (worker.name() != null) {
            m.put(RUNNER_NAME, AttributeValue.fromS(worker.name()));
        }
        return AttributeValue.fromM(m);
    }

    /** What ran each attempt of the subjob whose entry is {@code e}, as far as recorded. */
    private static List<SubJobRunner> runners(Map<String, AttributeValue> e, int attempts) {
        if (e.containsKey(WORKERS)) {
            return e.get(WORKERS).l().stream().<SubJobRunner>map(w -> new SubJobRunner.Worker(
                    w.m().get(RUNNER_ID).s(), text(w.m(), RUNNER_NAME))).toList();
        }
        if (e.containsKey(RAN_ON)) {
            Map<String, AttributeValue> f = e.get(RAN_ON).m();
            return Collections.nCopies(attempts,
                    new SubJobRunner.Function(f.get(RUNNER_NAME).s(), text(f, RUNNER_PROGRAM)));
        }
        return List.of();
    }

    /** The subjobs a group's item holds, in index order. */
    static List<SubJob> subJobs(Map<String, AttributeValue> item) {
        String jobId = item.get(JOB_ID).s();
        int attempt = Integer.parseInt(item.get(JOB_ATTEMPT).n());
        String groupManifestKey = item.containsKey(MANIFEST_KEY) ? item.get(MANIFEST_KEY).s() : null;
        List<SubJob> subJobs = new ArrayList<>();
        int first = Integer.parseInt(item.get(FIRST_INDEX).n());
        item.forEach((name, value) -> {
            Matcher entryName = ENTRY_NAME.matcher(name);
            if (!entryName.matches()) {
                return;
            }
            int index = first + Integer.parseInt(entryName.group(1));
            Map<String, AttributeValue> e = value.m();
            int attempts = Integer.parseInt(e.get(ATTEMPTS).n());
            String manifestKey = e.containsKey(MANIFEST_KEY) ? e.get(MANIFEST_KEY).s() : groupManifestKey;
            subJobs.add(new SubJob(jobId, index, attempt, manifestKey,
                    SubJobStatus.valueOf(e.get(STATUS).s()),
                    attempts,
                    e.containsKey(STARTED_AT) ? Timestamps.parse(e.get(STARTED_AT).s()) : null,
                    e.containsKey(DURATION_MILLIS) ? Duration.ofMillis(Long.parseLong(e.get(DURATION_MILLIS).n())) : null,
                    text(e, OUTPUT_KEY),
                    text(e, OUTPUT),
                    e.containsKey(ERROR_CODE) ? new JobError(e.get(ERROR_CODE).s(), text(e, ERROR_MESSAGE)) : null,
                    runners(e, attempts)));
        });
        subJobs.sort(Comparator.comparingInt(SubJob::index));
        return subJobs;
    }

    /** The holds recorded in a group's item ({@link #HELD_UNTIL}), by subjob index. */
    static Map<Integer, String> heldUntil(Map<String, AttributeValue> item) {
        int first = Integer.parseInt(item.get(FIRST_INDEX).n());
        Map<Integer, String> holds = new HashMap<>();
        item.forEach((name, value) -> {
            Matcher entryName = ENTRY_NAME.matcher(name);
            if (entryName.matches() && value.m() != null && value.m().containsKey(HELD_UNTIL)) {
                holds.put(first + Integer.parseInt(entryName.group(1)), value.m().get(HELD_UNTIL).s());
            }
        });
        return holds;
    }

    private static String text(Map<String, AttributeValue> entry, String name) {
        AttributeValue value = entry.get(name);
        return value == null ? null : value.s();
    }

    /** {@code message} as kept with a subjob: whole up to {@link #MAX_KEPT_MESSAGE_CHARS}, else cut, saying so. */
    static String keptMessage(String message) {
        if (message.length() <= MAX_KEPT_MESSAGE_CHARS) {
            return message;
        }
        String cut = " [cut to " + MAX_KEPT_MESSAGE_CHARS + " characters]";
        int end = MAX_KEPT_MESSAGE_CHARS - cut.length();
        end -= Character.isHighSurrogate(message.charAt(end - 1)) ? 1 : 0; // never half a character
        return message.substring(0, end) + cut;
    }
}
