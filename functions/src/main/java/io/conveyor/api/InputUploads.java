package io.conveyor.api;

import io.conveyor.config.Settings;
import io.conveyor.programs.DeclaredInput;
import io.conveyor.job.Job;
import io.conveyor.storage.JobObjectLayout;
import io.conveyor.storage.MultipartLayout;
import io.conveyor.usage.Usage;
import io.conveyor.storage.ObjectStore;
import io.conveyor.storage.PresignedRequest;
import io.conveyor.storage.StoredObject;
import io.conveyor.storage.UploadedPart;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the declared inputs of a job reach the bucket, and the check at submit that they did.
 *
 * <p>An input up to {@link Settings#multipartThreshold()} gets one presigned PUT. A larger one gets a multipart
 * upload: one presigned UploadPart per part ({@link MultipartLayout}, parts of {@link Settings#multipartPartSize()}),
 * each signing its exact size. The bucket itself holds the state of a multipart upload, so nothing about it is
 * stored in the job: the open upload at the input's key is found with ListMultipartUploads and reused (a repeated
 * create or {@code GET /jobs/{id}} never starts a second one), its parts with ListParts, and only parts not yet
 * there get URLs, which also makes an interrupted upload resumable from any machine. Submit completes the upload from
 * ListParts, after checking every part is there with its size: a client that retried a part, or lost track of what
 * it sent, cannot complete it with a stale ETag, and a repeated submit just lists again.
 *
 * <p>Thread-safe.
 */
final class InputUploads {
    /** Where to upload one declared input. */
    sealed interface Upload {
        String name();
    }

    /** One presigned PUT of the whole input. */
    record SinglePut(String name, PresignedRequest request) implements Upload {}

    /**
     * A multipart upload of the input.
     *
     * @param missingParts the numbers of the parts not uploaded yet, in order
     * @param parts        presigned uploads of the first of the missing parts (all of them unless the answer's budget
     *                     of URLs ran out; {@code GET /jobs/{id}} lists the rest once these are uploaded)
     */
    record Multipart(String name, MultipartLayout layout, List<Integer> missingParts, List<Part> parts, Instant expiresAt)
            implements Upload {}

    /** A presigned upload of one part. */
    record Part(int number, long size, PresignedRequest request) {}

    private final ObjectStore objects;
    private final Settings settings;
    private final Clock clock;

    InputUploads(ObjectStore objects, Settings settings, Clock clock) {
        this.objects = objects;
        this.settings = settings;
        this.clock = clock;
    }

    private boolean isMultipart(DeclaredInput input) {
        return input.size() > settings.multipartThreshold();
    }

    /**
     * What the owner's upload of {@code input} through its presigned URLs costs in S3, each part put once: one PUT, or
     * one per part (starting and completing a multipart upload go through the SDK and are counted there).
     */
    Usage uploadUsage(DeclaredInput input) {
        return Usage.s3(isMultipart(input) ? layout(input).partCount() : 1, 0, input.size());
    }

    private MultipartLayout layout(DeclaredInput input) {
        return MultipartLayout.of(input.size(), settings.multipartPartSize());
    }

    /**
     * Where to upload each input that is not fully in the bucket yet; multipart uploads are started (or the open one
     * reused) here. At most {@link Settings#multipartUrlsPerResponse()} part URLs in all.
     */
    List<Upload> pending(Job job) {
        List<Upload> uploads = new ArrayList<>();
        int partUrlsLeft = settings.multipartUrlsPerResponse();
        for (DeclaredInput input : job.inputs()) {
            String key = JobObjectLayout.input(job.id(), input.name());
            if (objects.head(key).map(o -> o.size() == input.size()).orElse(false)) {
                continue;
            }
            if (!isMultipart(input)) {
                uploads.add(new SinglePut(input.name(), objects.presignPut(key, input.size(), input.contentType(),
                        settings.presignedUrlTtl())));
                continue;
            }
            MultipartLayout layout = layout(input);
            String uploadId = objects.openMultipartUploads(key).stream().findFirst()
                    .orElseGet(() -> objects.startMultipartUpload(key, input.contentType()));
            List<Integer> missing = missingParts(layout, objects.uploadedParts(key, uploadId).orElse(List.of()));
            if (missing.isEmpty()) {
                continue; // every part is there: submit completes it
            }
            List<Part> parts = new ArrayList<>();
            for (int number : missing.subList(0, Math.min(missing.size(), partUrlsLeft))) {
                parts.add(new Part(number, layout.sizeOf(number), objects.presignUploadPart(key, uploadId, number,
                        layout.sizeOf(number), settings.presignedUrlTtl())));
            }
            partUrlsLeft -= parts.size();
            uploads.add(new Multipart(input.name(), layout, missing, parts, clock.instant().plus(settings.presignedUrlTtl())));
        }
        return uploads;
    }

    /**
     * Completes the multipart uploads whose parts are all there, then checks every input's size and, when declared,
     * its SHA-256 (read back from the bucket, the same for both kinds of upload). An input whose content does not
     * match its SHA-256 is deleted, so that {@link #pending} offers a fresh upload for it.
     *
     * @return what is wrong, one entry per input; empty when the job may be submitted
     */
    List<String> problems(Job job) {
        List<String> problems = new ArrayList<>();
        for (DeclaredInput input : job.inputs()) {
            String key = JobObjectLayout.input(job.id(), input.name());
            Optional<StoredObject> stored = objects.head(key);
            if (isMultipart(input) && stored.map(o -> o.size() != input.size()).orElse(true)) {
                Optional<String> incomplete = complete(input, key);
                if (incomplete.isPresent()) {
                    problems.add(incomplete.get());
                    continue;
                }
                stored = objects.head(key);
            }
            if (stored.isEmpty()) {
                problems.add(input.name() + " has not been uploaded");
            } else if (stored.get().size() != input.size()) {
                problems.add(input.name() + " has " + stored.get().size() + " bytes, not the " + input.size() + " declared");
            } else if (input.sha256() != null && !input.sha256().equals(objects.sha256(key))) {
                objects.delete(key);
                problems.add(input.name() + " does not match its declared SHA-256, so it was discarded");
            }
        }
        return problems;
    }

    /**
     * Completes the open multipart upload at {@code key} that has every part with its size, and aborts any other
     * open upload there (two requests racing may each have started one).
     *
     * @return what is missing, when no open upload is complete
     */
    private Optional<String> complete(DeclaredInput input, String key) {
        MultipartLayout layout = layout(input);
        List<Integer> fewestMissing = null;
        List<String> uploadIds = objects.openMultipartUploads(key);
        for (String uploadId : uploadIds) {
            Optional<List<UploadedPart>> parts = objects.uploadedParts(key, uploadId);
            if (parts.isEmpty()) {
                continue;
            }
            List<Integer> missing = missingParts(layout, parts.get());
            if (missing.isEmpty()) {
                Map<Integer, UploadedPart> byNumber = parts.get().stream()
                        .collect(Collectors.toMap(UploadedPart::number, Function.identity()));
                List<UploadedPart> ordered = new ArrayList<>();
                for (int number = 1; number <= layout.partCount(); number++) {
                    ordered.add(byNumber.get(number));
                }
                // False only when a concurrent submit completed it first; the object's checks below then apply.
                objects.completeMultipartUpload(key, uploadId, ordered);
                uploadIds.stream().filter(other -> !other.equals(uploadId)).forEach(other -> objects.abortMultipartUpload(key, other));
                return Optional.empty();
            }
            if (fewestMissing == null || missing.size() < fewestMissing.size()) {
                fewestMissing = missing;
            }
        }
        if (fewestMissing == null) {
            // No open upload: it was completed by a concurrent submit (the object's checks apply) or never started.
            return Optional.empty();
        }
        return Optional.of(input.name() + " lacks " + (fewestMissing.size() == 1 ? "part " : fewestMissing.size()
                + " of its " + layout.partCount() + " parts: ") + numbers(fewestMissing)
                + (fewestMissing.size() == 1 ? " of " + layout.partCount() : ""));
    }

    /** Aborts every open multipart upload of the job's inputs. */
    int abandon(String jobId) {
        return objects.abortMultipartUploads(JobObjectLayout.jobPrefix(jobId));
    }

    /** The parts of {@code layout} not among {@code uploaded} with their exact size. */
    private static List<Integer> missingParts(MultipartLayout layout, List<UploadedPart> uploaded) {
        Map<Integer, Long> sizes = uploaded.stream().collect(Collectors.toMap(UploadedPart::number, UploadedPart::size));
        List<Integer> missing = new ArrayList<>();
        for (int number = 1; number <= layout.partCount(); number++) {
            if (!Long.valueOf(layout.sizeOf(number)).equals(sizes.get(number))) {
                missing.add(number);
            }
        }
        return missing;
    }

    /** Part numbers for a message: the first ten, then how many more. */
    private static String numbers(List<Integer> numbers) {
        String shown = numbers.stream().limit(10).map(String::valueOf).collect(Collectors.joining(", "));
        return numbers.size() > 10 ? shown + " and " + (numbers.size() - 10) + " more" : shown;
    }
}
