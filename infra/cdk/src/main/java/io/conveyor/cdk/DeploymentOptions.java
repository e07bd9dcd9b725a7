package io.conveyor.cdk;

import io.conveyor.config.ConfigurationException;
import io.conveyor.config.Settings;
import io.conveyor.deployment.Catalogue;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.worker.WorkerIdentities;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything a deployment may choose, read once from the CDK context ({@code cdk.json}'s {@code context}, or
 * {@code cdk deploy -c conveyor:<name>=<value>}) and validated as a whole, so a bad option fails the synth with
 * every problem named. {@link Option} lists each option with its default; {@code infra/cdk/README.md} documents
 * them (a test keeps the two in step).
 *
 * @param lambdaJar                  the shaded functions jar, the code of every function
 * @param lambdaRuntime              the Lambda runtime: {@code java25} (the latest) or {@code java21}
 * @param defaultRetention           how long a terminal job is kept when its owner does not say
 * @param maxRetention               the longest retention an owner may ask for
 * @param maxActiveJobsPerUser       quota: jobs of one user running at once
 * @param maxActiveJobsPerProgram    quota: jobs of one program running at once
 * @param maxQueuedJobsPerUser       beyond this many waiting jobs, creating another is refused
 * @param presignedUrlTtl            the lifetime of upload and download URLs
 * @param programs                   further programs (and their limits) as a JSON array, see
 *                                   {@link io.conveyor.program.ProgramDefinitions}; empty for the samples only
 * @param workerIdentities           the worker identities allowed to work for other owners, a JSON object from identity
 *                                   to owners ({@link io.conveyor.worker.WorkerIdentities}); {@code {}} for none
 * @param workerReservedConcurrency  the executions kept for the worker protocol's function: how many external workers
 *                                   can wait in a poll at once
 * @param cleanerSchedule            the cleaner's EventBridge schedule expression
 * @param auth                       how API callers authenticate
 * @param userPoolArn                the Cognito user pool, with {@link Auth#COGNITO}
 * @param alertEmail                 an address subscribed to the alert topic, if any
 * @param logRetentionDays           how long function, workflow and API logs are kept
 * @param apiRateLimit               API Gateway steady-state requests per second (stage and usage plan)
 * @param apiBurstLimit              API Gateway burst
 * @param apiQuotaPerDay             the usage plan's requests per day
 * @param requireApiKey              whether every method also requires an API key of the usage plan
 * @param corsOrigins                browser origins allowed to PUT and GET presigned URLs; none adds no CORS rule
 * @param lifecycleMarginDays        the bucket's lifecycle backstop expires objects after the maximum retention
 *                                   plus this many days
 * @param retainData                 whether the tables, the bucket and the logs outlive the stack
 * @param apiGatewayCloudWatchRole   whether the stack sets the account's API Gateway logging role
 * @param dashboard                  whether the stack deploys the web dashboard (CloudFront, a private bucket, a
 *                                   Cognito user pool with the hosted sign-in, which the API's authoriser trusts)
 * @param dashboardFiles             the dashboard's built files, uploaded to its bucket
 * @param prices                     entries replacing the price table's us-east-1 defaults, as {@code CONVEYOR_PRICES}
 *                                   takes them ({@code key=value} pairs separated by commas); empty for the defaults
 * @param adminUsers                 the users who may read every user's usage ({@code CONVEYOR_ADMIN_USERS})
 */
public record DeploymentOptions(
        Path lambdaJar,
        String lambdaRuntime,
        Duration defaultRetention,
        Duration maxRetention,
        int maxActiveJobsPerUser,
        int maxActiveJobsPerProgram,
        int maxQueuedJobsPerUser,
        Duration presignedUrlTtl,
        String programs,
        String workerIdentities,
        int workerReservedConcurrency,
        String cleanerSchedule,
        Auth auth,
        Optional<String> userPoolArn,
        Optional<String> alertEmail,
        int logRetentionDays,
        int apiRateLimit,
        int apiBurstLimit,
        int apiQuotaPerDay,
        boolean requireApiKey,
        List<String> corsOrigins,
        int lifecycleMarginDays,
        boolean retainData,
        boolean apiGatewayCloudWatchRole,
        boolean dashboard,
        Path dashboardFiles,
        String prices,
        List<String> adminUsers) {

    /** How API callers authenticate. */
    public enum Auth {
        /** SigV4-signed requests; the caller is the IAM principal. */
        IAM("iam"),
        /** An {@code Authorization} header with an ID token of the configured Cognito user pool. */
        COGNITO("cognito"),
        /**
         * Development only, never for a real account: {@code Authorization: Bearer <user>} names the caller with no
         * credential at all ({@code io.conveyor.devauth.DevTokenAuthorizer}). For emulators that enforce neither IAM
         * nor Cognito, such as LocalStack's free image; the local runtime's convention.
         */
        DEV_TOKEN("devToken");

        private final String option;

        Auth(String option) {
            this.option = option;
        }

        /** The value of the {@code conveyor:auth} option that selects this mode. */
        public String option() {
            return option;
        }
    }

    /** The retention periods CloudWatch Logs accepts, in days. */
    static final List<Integer> LOG_RETENTION_DAYS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
            545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    /** Every context option, its default and what it does. */
    public enum Option {
        LAMBDA_JAR("lambdaJar", "target/lambda/conveyor-functions-lambda.jar",
                "the shaded functions jar (relative to infra/cdk); the build copies it there"),
        LAMBDA_RUNTIME("lambdaRuntime", "java25", "Lambda runtime, java25 or java21 (arm64, SnapStart either way)"),
        DEFAULT_RETENTION("defaultRetention", "P7D", "ISO-8601: how long a terminal job is kept unless its owner says"),
        MAX_RETENTION("maxRetention", "P90D", "ISO-8601: the longest retention an owner may ask for"),
        MAX_ACTIVE_JOBS_PER_USER("maxActiveJobsPerUser", "5", "quota: jobs of one user running at once"),
        MAX_ACTIVE_JOBS_PER_PROGRAM("maxActiveJobsPerProgram", "10", "quota: jobs of one program running at once"),
        MAX_QUEUED_JOBS_PER_USER("maxQueuedJobsPerUser", "100", "beyond this many waiting jobs a create gets 429"),
        PRESIGNED_URL_TTL("presignedUrlTtl", "PT15M", "ISO-8601: lifetime of upload and download URLs (at most P7D)"),
        PROGRAMS("programs", "[]", "further programs and their limits (maxConcurrency, retry, tolerance, timeout), "
                + "JSON array as CONVEYOR_PROGRAMS takes it; each gets its own state machine"),
        WORKER_IDENTITIES("workerIdentities", "{}", "callers whose external workers may work for other users: a JSON "
                + "object from identity to the owners it works for, as CONVEYOR_WORKER_IDENTITIES takes it"),
        WORKER_RESERVED_CONCURRENCY("workerReservedConcurrency",
                Integer.toString(Catalogue.WORKER_PROTOCOL_RESERVED_CONCURRENCY), "concurrent executions kept for the "
                + "worker protocol's function: how many external workers can wait in a poll at once (a poll beyond them "
                + "is throttled, and the worker polls again after a pause); taken from the account's pool"),
        CLEANER_SCHEDULE("cleanerSchedule", Catalogue.CLEANER_SCHEDULE.expression(),
                "EventBridge schedule of the cleaner, rate(...) or cron(...)"),
        AUTH("auth", "iam", "API authorisation: iam (SigV4), cognito, or devToken (development only, never for a real "
                + "account: Authorization: Bearer <user> names the caller with no credential; for LocalStack)"),
        USER_POOL_ARN("userPoolArn", "none", "the Cognito user pool whose ID tokens the API accepts (auth=cognito)"),
        ALERT_EMAIL("alertEmail", "none", "an e-mail address subscribed to the alert topic"),
        LOG_RETENTION_DAYS("logRetentionDays", "30", "days function, workflow and API logs are kept (a value "
                + "CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 180, 365, ...)"),
        API_RATE_LIMIT("apiRateLimit", "50", "API requests per second, steady state (stage and usage plan)"),
        API_BURST_LIMIT("apiBurstLimit", "100", "API request burst (stage and usage plan)"),
        API_QUOTA_PER_DAY("apiQuotaPerDay", "100000", "usage plan: requests per API key per day"),
        REQUIRE_API_KEY("requireApiKey", "false", "every method also requires an API key of the usage plan"),
        CORS_ORIGINS("corsOrigins", "none", "comma-separated browser origins allowed to use presigned URLs; "
                + "none adds no CORS rule (the CLI needs none)"),
        LIFECYCLE_MARGIN_DAYS("lifecycleMarginDays", "30", "the bucket's lifecycle rule expires job objects "
                + "maxRetention plus this many days after they were written (a backstop to the cleaner)"),
        RETAIN_DATA("retainData", "true", "tables (with deletion protection), bucket and logs outlive the stack; "
                + "false deletes them with it (an empty bucket only)"),
        API_GATEWAY_CLOUDWATCH_ROLE("apiGatewayCloudWatchRole", "true", "set the account's API Gateway "
                + "logging role (one per account and region; false if another stack already does)"),
        DASHBOARD("dashboard", "false", "deploy the web dashboard: its files in a private bucket behind CloudFront, "
                + "a Cognito user pool with the hosted sign-in (PKCE) whose ID tokens the API accepts; needs auth=cognito "
                + "and no userPoolArn"),
        DASHBOARD_FILES("dashboardFiles", "../../dashboard/target/classes/dashboard", "the dashboard's built files "
                + "(relative to infra/cdk): the dashboard module's build output"),
        PRICES("prices", "none", "prices replacing entries of the us-east-1 defaults jobs' cost is computed with "
                + "(another region's, x86_64's GB-second, a negotiated rate): key=value pairs separated by commas as "
                + "CONVEYOR_PRICES takes them, or a JSON object of them"),
        ADMIN_USERS("adminUsers", "none", "comma-separated (or a JSON list of) user ids who may read any user's "
                + "usage and cost, or every user's at once (GET /usage?user=, ?allUsers=true): CONVEYOR_ADMIN_USERS");

        /** Every option's context key starts with this. */
        public static final String PREFIX = "conveyor:";

        private final String name;
        private final String defaultValue;
        private final String description;

        Option(String name, String defaultValue, String description) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.description = description;
        }

        /** The context key, such as {@code conveyor:maxRetention}. */
        public String key() {
            return PREFIX + name;
        }

        public String defaultValue() {
            return defaultValue;
        }

        public String description() {
            return description;
        }
    }

    /** The options with every default, the Lambda jar where the build puts it. */
    public static DeploymentOptions defaults() {
        return from(key -> null);
    }

    /**
     * Reads the options; a value may be a string (from {@code -c}) or a JSON value (from {@code cdk.json}).
     *
     * @param context the CDK context, by key ({@code node.tryGetContext})
     * @throws ConfigurationException naming every bad option
     */
    public static DeploymentOptions from(Function<String, Object> context) {
        Reader r = new Reader(context);
        DeploymentOptions options = new DeploymentOptions(
                Path.of(r.text(Option.LAMBDA_JAR)),
                r.oneOf(Option.LAMBDA_RUNTIME, List.of("java25", "java21")),
                r.duration(Option.DEFAULT_RETENTION),
                r.duration(Option.MAX_RETENTION),
                r.positiveInt(Option.MAX_ACTIVE_JOBS_PER_USER),
                r.positiveInt(Option.MAX_ACTIVE_JOBS_PER_PROGRAM),
                r.positiveInt(Option.MAX_QUEUED_JOBS_PER_USER),
                r.duration(Option.PRESIGNED_URL_TTL),
                r.json(Option.PROGRAMS),
                r.json(Option.WORKER_IDENTITIES),
                r.positiveInt(Option.WORKER_RESERVED_CONCURRENCY),
                r.schedule(Option.CLEANER_SCHEDULE),
                r.auth(Option.AUTH),
                r.optional(Option.USER_POOL_ARN),
                r.optional(Option.ALERT_EMAIL),
                r.logRetention(Option.LOG_RETENTION_DAYS),
                r.positiveInt(Option.API_RATE_LIMIT),
                r.positiveInt(Option.API_BURST_LIMIT),
                r.positiveInt(Option.API_QUOTA_PER_DAY),
                r.bool(Option.REQUIRE_API_KEY),
                r.list(Option.CORS_ORIGINS),
                r.positiveInt(Option.LIFECYCLE_MARGIN_DAYS),
                r.bool(Option.RETAIN_DATA),
                r.bool(Option.API_GATEWAY_CLOUDWATCH_ROLE),
                r.bool(Option.DASHBOARD),
                Path.of(r.text(Option.DASHBOARD_FILES)),
                r.pairs(Option.PRICES),
                r.list(Option.ADMIN_USERS));
        if (options.auth == Auth.COGNITO && options.userPoolArn.isEmpty() && !options.dashboard) {
            r.problems.add(Option.USER_POOL_ARN.key() + " is required with " + Option.AUTH.key()
                    + "=cognito: give the ARN of the user pool whose ID tokens the API accepts (or set "
                    + Option.DASHBOARD.key() + "=true, which brings its own)");
        }
        if (options.dashboard && options.auth != Auth.COGNITO) {
            r.problems.add(Option.DASHBOARD.key() + "=true signs people in with the stack's Cognito user pool, which "
                    + "the API must trust: set " + Option.AUTH.key() + "=cognito");
        }
        if (options.dashboard && options.userPoolArn.isPresent()) {
            r.problems.add(Option.DASHBOARD.key() + "=true brings its own user pool, whose ID tokens the API accepts: "
                    + "leave " + Option.USER_POOL_ARN.key() + " unset");
        }
        if (r.problems.isEmpty()) {
            // The functions read these settings with the same rules: check them now, not at the first cold start.
            try {
                Map<String, String> env = new LinkedHashMap<>(options.functionSettings());
                env.putAll(Map.of("AWS_REGION", "synth", "CONVEYOR_JOBS_TABLE", "t", "CONVEYOR_SUBJOBS_TABLE", "t",
                        "CONVEYOR_COUNTERS_TABLE", "t", "CONVEYOR_IDEMPOTENCY_TABLE", "t",
                        "CONVEYOR_WAITLIST_TABLE", "t", "CONVEYOR_WORK_QUEUE_TABLE", "t", "CONVEYOR_BUCKET", "b"));
                Settings.from(env);
                ProgramRegistry.from(env);
                WorkerIdentities.from(env);
            } catch (ConfigurationException e) {
                e.problems().forEach(p -> r.problems.add("the context gives the functions a bad setting: " + p));
            }
        }
        if (!r.problems.isEmpty()) {
            throw new ConfigurationException(r.problems);
        }
        return options;
    }

    /** The programs this deployment runs: the samples and {@link #programs()}. */
    public ProgramRegistry programRegistry() {
        return ProgramRegistry.from(functionSettings());
    }

    /** The settings every function gets from these options, by environment variable. */
    public Map<String, String> functionSettings() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CONVEYOR_MAX_ACTIVE_JOBS_PER_USER", Integer.toString(maxActiveJobsPerUser));
        env.put("CONVEYOR_MAX_ACTIVE_JOBS_PER_PROGRAM", Integer.toString(maxActiveJobsPerProgram));
        env.put("CONVEYOR_MAX_QUEUED_JOBS_PER_USER", Integer.toString(maxQueuedJobsPerUser));
        env.put("CONVEYOR_PRESIGNED_URL_TTL", iso(presignedUrlTtl));
        env.put("CONVEYOR_DEFAULT_RETENTION", iso(defaultRetention));
        env.put("CONVEYOR_MAX_RETENTION", iso(maxRetention));
        if (!programs.isBlank() && !programs.replaceAll("\\s", "").equals("[]")) {
            env.put(ProgramRegistry.SETTING, programs);
        }
        if (!prices.isEmpty()) {
            env.put("CONVEYOR_PRICES", prices);
        }
        if (!adminUsers.isEmpty()) {
            env.put("CONVEYOR_ADMIN_USERS", String.join(",", adminUsers));
        }
        if (!workerIdentities.isBlank() && !workerIdentities.replaceAll("\\s", "").equals("{}")) {
            env.put(WorkerIdentities.SETTING, workerIdentities);
        }
        if (auth == Auth.DEV_TOKEN) {
            // Emulators that deploy the token authoriser without invoking it (LocalStack's free image) leave the
            // bearer header to the API function: see io.conveyor.api.Caller#finder.
            env.put("CONVEYOR_DEV_TOKEN_AUTH", "true");
        }
        return env;
    }

    /** ISO-8601 as people write it: {@code P7D} rather than {@link Duration#toString()}'s {@code PT168H}. */
    static String iso(Duration d) {
        long seconds = d.toSeconds();
        return seconds % 86_400 == 0 && d.getNano() == 0 ? "P" + seconds / 86_400 + "D" : d.toString();
    }

    /** Days after which the bucket's lifecycle rule expires a job's objects. */
    public int objectExpiryDays() {
        long retentionDays = (maxRetention.toSeconds() + 86_399) / 86_400;
        return Math.toIntExact(retentionDays + lifecycleMarginDays);
    }

    /** Collects every problem instead of stopping at the first. */
    private static final class Reader {
        private final Function<String, Object> context;
        private final List<String> problems = new ArrayList<>();

        Reader(Function<String, Object> context) {
            this.context = context;
        }

        /** The value as text, or the default. */
        String text(Option option) {
            Object value = context.apply(option.key());
            if (value == null || value.toString().isBlank()) {
                return option.defaultValue();
            }
            return value.toString().trim();
        }

        Optional<String> optional(Option option) {
            String value = text(option);
            return value.equals("none") ? Optional.empty() : Optional.of(value);
        }

        String oneOf(Option option, Collection<String> allowed) {
            String value = text(option).toLowerCase(Locale.ROOT);
            if (!allowed.contains(value)) {
                problems.add(option.key() + " must be one of " + allowed + ", was '" + value + "'");
                return option.defaultValue();
            }
            return value;
        }

        Duration duration(Option option) {
            String value = text(option);
            try {
                Duration d = Duration.parse(value);
                if (!d.isNegative() && !d.isZero()) {
                    return d;
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            problems.add(option.key() + " must be an ISO-8601 duration above zero such as PT15M or P7D, was '"
                    + value + "'");
            return Duration.parse(option.defaultValue());
        }

        int positiveInt(Option option) {
            String value = text(option);
            try {
                // cdk.json numbers arrive as Integer or Double; -c values as text.
                double d = Double.parseDouble(value);
                if (d >= 1 && d <= Integer.MAX_VALUE && d == Math.rint(d)) {
                    return (int) d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(option.key() + " must be a whole number above 0, was '" + value + "'");
            return Integer.parseInt(option.defaultValue());
        }

        int logRetention(Option option) {
            int days = positiveInt(option);
            if (!LOG_RETENTION_DAYS.contains(days)) {
                problems.add(option.key() + " must be one of " + LOG_RETENTION_DAYS + " (CloudWatch Logs accepts no "
                        + "other), was " + days);
                return Integer.parseInt(option.defaultValue());
            }
            return days;
        }

        Auth auth(Option option) {
            String value = text(option);
            for (Auth auth : Auth.values()) {
                if (auth.option().equalsIgnoreCase(value)) {
                    return auth;
                }
            }
            problems.add(option.key() + " must be one of " + Arrays.stream(Auth.values()).map(Auth::option).toList()
                    + ", was '" + value + "'");
            return Auth.IAM;
        }

        boolean bool(Option option) {
            String value = text(option).toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                problems.add(option.key() + " must be true or false, was '" + value + "'");
                return Boolean.parseBoolean(option.defaultValue());
            }
            return Boolean.parseBoolean(value);
        }

        String schedule(Option option) {
            String value = text(option);
            if (!value.matches("rate\\(\\d+ (minute|minutes|hour|hours|day|days)\\)|cron\\(.+\\)")) {
                problems.add(option.key() + " must be an EventBridge schedule such as rate(1 hour), rate(30 minutes) "
                        + "or cron(0 * * * ? *), was '" + value + "'");
                return option.defaultValue();
            }
            return value;
        }

        List<String> list(Option option) {
            Object value = context.apply(option.key());
            if (value instanceof List<?> items) {
                return items.stream().map(Object::toString).map(String::trim).filter(s -> !s.isEmpty()).toList();
            }
            String text = text(option);
            if (text.equals("none")) {
                return List.of();
            }
            return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }

        /**
         * {@code key=value} pairs separated by commas, empty for none: from {@code -c} as that text, from cdk.json as
         * that text or as a JSON object. Settings checks the keys and values.
         */
        String pairs(Option option) {
            Object value = context.apply(option.key());
            if (value instanceof Map<?, ?> entries) {
                List<String> pairs = new ArrayList<>();
                entries.forEach((k, v) -> pairs.add(k + "=" + v));
                return String.join(",", pairs);
            }
            String text = text(option);
            return text.equals("none") ? "" : text;
        }

        /** A JSON value: from cdk.json it arrives parsed (a List of Maps), from -c as text. */
        String json(Option option) {
            Object value = context.apply(option.key());
            if (value == null) {
                return option.defaultValue();
            }
            if (value instanceof String s) {
                return s.isBlank() ? option.defaultValue() : s.trim();
            }
            try {
                return io.conveyor.persistence.StoredJson.MAPPER.writeValueAsString(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                problems.add(option.key() + " is not a JSON value: " + e.getMessage());
                return option.defaultValue();
            }
        }
    }
}
