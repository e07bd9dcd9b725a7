package io.conveyor.config;

import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.Resource;
import io.conveyor.usage.PriceTable;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Everything a function needs to know about its deployment, read once from the environment at start-up and
 * validated as a whole, so a bad deployment fails at once with every problem named.
 *
 * @param region               {@code AWS_REGION}
 * @param jobsTable            {@code CONVEYOR_JOBS_TABLE}
 * @param subJobsTable         {@code CONVEYOR_SUBJOBS_TABLE}
 * @param countersTable        {@code CONVEYOR_COUNTERS_TABLE}
 * @param idempotencyTable     {@code CONVEYOR_IDEMPOTENCY_TABLE}
 * @param waitlistTable        {@code CONVEYOR_WAITLIST_TABLE}
 * @param workQueueTable       {@code CONVEYOR_WORK_QUEUE_TABLE}
 * @param bucket               {@code CONVEYOR_BUCKET}
 * @param s3Endpoint           {@code AWS_ENDPOINT_URL_S3}, else {@code AWS_ENDPOINT_URL}; empty on AWS. When set, S3
 *                             is addressed path-style, which every emulator understands
 * @param maxActiveJobsPerUser {@code CONVEYOR_MAX_ACTIVE_JOBS_PER_USER}, default 5
 * @param maxActiveJobsPerProgram {@code CONVEYOR_MAX_ACTIVE_JOBS_PER_PROGRAM}, default 10
 * @param maxQueuedJobsPerUser {@code CONVEYOR_MAX_QUEUED_JOBS_PER_USER}, default 100: beyond it creates get 429
 * @param presignedUrlTtl      {@code CONVEYOR_PRESIGNED_URL_TTL} (ISO-8601 duration), default PT15M, at most P7D
 * @param defaultRetention     {@code CONVEYOR_DEFAULT_RETENTION} (ISO-8601 duration), default P7D
 * @param maxRetention         {@code CONVEYOR_MAX_RETENTION} (ISO-8601 duration), default P90D
 * @param workflowArnPrefix    {@code CONVEYOR_WORKFLOW_ARN_PREFIX}: the ARN of the job state machines up to the
 *                             program's name ({@code arn:aws:states:<region>:<account>:stateMachine:conveyor-job-});
 *                             needed by the functions that start or stop job executions
 * @param eventBus             {@code CONVEYOR_EVENT_BUS}: the bus {@code JobStatusChanged} events go to, default
 *                             {@code conveyor-jobs}
 * @param multipartThreshold   {@code CONVEYOR_MULTIPART_THRESHOLD} (bytes, or with a KiB, MiB or GiB suffix), default
 *                             64 MiB, 5 MiB to 5 GiB: a declared input larger than this is uploaded in parts; S3 takes
 *                             at most 5 GiB in one PUT
 * @param multipartPartSize    {@code CONVEYOR_MULTIPART_PART_SIZE} (as above), default 64 MiB, 5 MiB (S3's smallest part
 *                             but the last) to 5 GiB (its largest)
 * @param multipartUrlsPerResponse {@code CONVEYOR_MULTIPART_URLS_PER_RESPONSE}, default 1000: at most this many part URLs
 *                             in one answer (about 0.7 KiB each, and Lambda answers at most 6 MB); the client asks
 *                             {@code GET /jobs/{id}} for the rest once these are uploaded
 * @param devTokenAuth         {@code CONVEYOR_DEV_TOKEN_AUTH}, default false; true only in a development deployment
 *                             ({@code conveyor:auth=devToken}, never a real account): where no authoriser ran, the API
 *                             takes the caller from {@code Authorization: Bearer <user>}, as its token authoriser would
 * @param httpClient           {@code CONVEYOR_HTTP_CLIENT}, {@code url-connection} (the default, Lambda's) or
 *                             {@code apache} (the local runtime's and the tests'): the HTTP client of every SDK client
 * @param adminUsers           {@code CONVEYOR_ADMIN_USERS}, user ids separated by commas, default none: who may ask for
 *                             another user's usage ({@code GET /usage?user=})
 * @param prices               the price table jobs' usage is priced at: {@code CONVEYOR_PRICES}, {@code key=value} pairs
 *                             separated by commas that replace entries of the us-east-1 defaults ({@link PriceTable})
 * @param browserOrigin        {@code CONVEYOR_BROWSER_ORIGIN}: the one origin ({@code https://host[:port]}) whose pages
 *                             may read the API's answers (CORS), the web dashboard's; empty (the default) for none
 */
public record Settings(
        String region,
        String jobsTable,
        String subJobsTable,
        String countersTable,
        String idempotencyTable,
        String waitlistTable,
        String workQueueTable,
        String bucket,
        Optional<URI> s3Endpoint,
        int maxActiveJobsPerUser,
        int maxActiveJobsPerProgram,
        int maxQueuedJobsPerUser,
        Duration presignedUrlTtl,
        Duration defaultRetention,
        Duration maxRetention,
        Optional<String> workflowArnPrefix,
        String eventBus,
        long multipartThreshold,
        long multipartPartSize,
        int multipartUrlsPerResponse,
        boolean devTokenAuth,
        HttpClientChoice httpClient,
        Set<String> adminUsers,
        PriceTable prices,
        Optional<String> browserOrigin) {
    private static final long MIB = 1024 * 1024;
    private static final long GIB = 1024 * MIB;

    /**
     * The ARN of the job state machines up to the program's name.
     *
     * @throws ConfigurationException when {@code CONVEYOR_WORKFLOW_ARN_PREFIX} is not set
     */
    public String requireWorkflowArnPrefix() {
        return workflowArnPrefix.orElseThrow(() -> new ConfigurationException(List.of(
                "CONVEYOR_WORKFLOW_ARN_PREFIX is not set: this function starts or stops job executions and needs the "
                        + "state machines' ARN prefix, such as arn:aws:states:eu-west-1:123456789012:stateMachine:conveyor-job-")));
    }

    /** Reads the settings from the function's environment (see {@link FunctionEnvironment}). */
    public static Settings fromEnvironment() {
        return from(FunctionEnvironment.current());
    }

    /**
     * Reads the settings from {@code env}.
     *
     * @throws ConfigurationException naming every missing or bad setting
     */
    public static Settings from(Map<String, String> env) {
        Reader r = new Reader(env);
        Settings settings = new Settings(
                r.required("AWS_REGION"),
                // The resources' names come in the variables the deployment names them by.
                r.required(Resource.JOBS_TABLE.settingName()),
                r.required(Resource.SUBJOBS_TABLE.settingName()),
                r.required(Resource.COUNTERS_TABLE.settingName()),
                r.required(Resource.IDEMPOTENCY_TABLE.settingName()),
                r.required(Resource.WAITLIST_TABLE.settingName()),
                r.required(Resource.WORK_QUEUE_TABLE.settingName()),
                r.required(Resource.BUCKET.settingName()),
                r.endpoint("AWS_ENDPOINT_URL_S3").or(() -> r.endpoint("AWS_ENDPOINT_URL")),
                r.positiveInt("CONVEYOR_MAX_ACTIVE_JOBS_PER_USER", 5),
                r.positiveInt("CONVEYOR_MAX_ACTIVE_JOBS_PER_PROGRAM", 10),
                r.positiveInt("CONVEYOR_MAX_QUEUED_JOBS_PER_USER", 100),
                r.duration("CONVEYOR_PRESIGNED_URL_TTL", Duration.ofMinutes(15), Duration.ofDays(7)),
                r.duration("CONVEYOR_DEFAULT_RETENTION", Duration.ofDays(7), Duration.ofDays(3650)),
                r.duration("CONVEYOR_MAX_RETENTION", Duration.ofDays(90), Duration.ofDays(3650)),
                r.value(Resource.JOB_WORKFLOWS.settingName()),
                r.value(Resource.EVENT_BUS.settingName()).orElse(Catalogue.EVENT_BUS),
                r.bytes("CONVEYOR_MULTIPART_THRESHOLD", 64 * MIB, 5 * MIB, 5 * GIB),
                r.bytes("CONVEYOR_MULTIPART_PART_SIZE", 64 * MIB, 5 * MIB, 5 * GIB),
                r.positiveInt("CONVEYOR_MULTIPART_URLS_PER_RESPONSE", 1000),
                r.bool("CONVEYOR_DEV_TOKEN_AUTH", false),
                r.httpClient("CONVEYOR_HTTP_CLIENT"),
                r.value("CONVEYOR_ADMIN_USERS").map(Settings::userIds).orElse(Set.of()),
                r.prices("CONVEYOR_PRICES"),
                r.origin("CONVEYOR_BROWSER_ORIGIN"));
        if (r.problems.isEmpty() && settings.defaultRetention.compareTo(settings.maxRetention) > 0) {
            r.problems.add("CONVEYOR_DEFAULT_RETENTION (" + settings.defaultRetention
                    + ") must not exceed CONVEYOR_MAX_RETENTION (" + settings.maxRetention + ")");
        }
        if (!r.problems.isEmpty()) {
            throw new ConfigurationException(r.problems);
        }
        return settings;
    }

    private static Set<String> userIds(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether {@code userId} may read every user's usage. */
    public boolean isAdmin(String userId) {
        return adminUsers.contains(userId);
    }

    /** Collects every problem instead of stopping at the first, so one deployment fixes them all. */
    private static final class Reader {
        private static final Pattern BYTES = Pattern.compile("(\\d{1,19})\\s*(KiB|MiB|GiB)?");
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        Optional<String> value(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        String required(String name) {
            return value(name).orElseGet(() -> {
                problems.add(name + " is not set");
                return null;
            });
        }

        Optional<URI> endpoint(String name) {
            return value(name).flatMap(v -> {
                try {
                    URI uri = URI.create(v);
                    if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                        return Optional.of(uri);
                    }
                } catch (IllegalArgumentException e) {
                    // reported below
                }
                problems.add(name + " must be an http(s) URL such as http://127.0.0.1:4566, was '" + v + "'");
                return Optional.empty();
            });
        }

        /** An origin as browsers send it: scheme, host and port only, no path. */
        Optional<String> origin(String name) {
            return value(name).flatMap(v -> {
                if (v.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                    return Optional.of(v);
                }
                problems.add(name + " must be an origin such as https://d111111abcdef8.cloudfront.net (no path, no "
                        + "trailing slash), was '" + v + "'");
                return Optional.empty();
            });
        }

        boolean bool(String name, boolean fallback) {
            return value(name).map(v -> {
                if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(v);
                }
                problems.add(name + " must be true or false, was '" + v + "'");
                return fallback;
            }).orElse(fallback);
        }

        HttpClientChoice httpClient(String name) {
            return value(name).map(v -> HttpClientChoice.ofSettingValue(v).orElseGet(() -> {
                problems.add(name + " must be " + HttpClientChoice.URL_CONNECTION.settingValue() + " or "
                        + HttpClientChoice.APACHE.settingValue() + ", was '" + v + "'");
                return HttpClientChoice.URL_CONNECTION;
            })).orElse(HttpClientChoice.URL_CONNECTION);
        }

        PriceTable prices(String name) {
            try {
                return PriceTable.withOverrides(value(name).orElse(""));
            } catch (IllegalArgumentException e) {
                problems.add(name + ": " + e.getMessage());
                return PriceTable.defaults();
            }
        }

        int positiveInt(String name, int fallback) {
            return value(name).map(v -> {
                try {
                    int n = Integer.parseInt(v);
                    if (n > 0) {
                        return n;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                problems.add(name + " must be a whole number above 0, was '" + v + "'");
                return fallback;
            }).orElse(fallback);
        }

        long bytes(String name, long fallback, long min, long max) {
            return value(name).map(v -> {
                Matcher m = BYTES.matcher(v);
                if (m.matches()) {
                    try {
                        long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
                            case "KiB" -> 1024L;
                            case "MiB" -> MIB;
                            default -> GIB;
                        };
                        long n = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
                        if (n >= min && n <= max) {
                            return n;
                        }
                    } catch (ArithmeticException | NumberFormatException e) {
                        // reported below
                    }
                }
                problems.add(name + " must be a size from " + min / MIB + "MiB to " + max / GIB + "GiB, in bytes or with a "
                        + "KiB, MiB or GiB suffix (for example 64MiB), was '" + v + "'");
                return fallback;
            }).orElse(fallback);
        }

        Duration duration(String name, Duration fallback, Duration max) {
            return value(name).map(v -> {
                try {
                    Duration d = Duration.parse(v);
                    if (!d.isNegative() && !d.isZero() && d.compareTo(max) <= 0) {
                        return d;
                    }
                } catch (DateTimeParseException e) {
                    // reported below
                }
                problems.add(name + " must be an ISO-8601 duration above zero and at most " + max
                        + " (for example PT15M or P7D), was '" + v + "'");
                return fallback;
            }).orElse(fallback);
        }
    }
}
