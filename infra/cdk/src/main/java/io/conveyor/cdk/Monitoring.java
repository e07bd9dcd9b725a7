package io.conveyor.cdk;

import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.Resource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Alerts and the dashboard: an encrypted SNS topic (and an e-mail subscription if configured), alarms on failed
 * and timed-out job executions, on every function's errors and throttles, on the cleaner's failures, on API
 * server errors, on undelivered execution-ended events and on jobs the execution sweep had to end, and one
 * CloudWatch dashboard of all of it.
 */
public final class Monitoring extends Construct {
    private static final Duration PERIOD = Duration.minutes(5);
    private static final MetricOptions SUM = MetricOptions.builder().period(PERIOD).statistic("Sum").build();

    private final Topic alerts;
    private final SnsAction action;

    public Monitoring(Construct scope, String id, DeploymentOptions options, Functions functions, Workflows workflows,
            JobApi api, Rule cleanerSchedule, Queue executionEndedDeadLetters) {
        super(scope, id);
        // SNS encrypts at rest with this key; CloudWatch must be able to use it to publish alarms (an AWS managed
        // key's policy cannot allow that, hence a key of our own).
        Key key = Key.Builder.create(this, "AlertsKey")
                .description("Conveyor alert topic encryption")
                .enableKeyRotation(true)
                .build();
        key.grant(new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
        alerts = Topic.Builder.create(this, "Alerts")
                .displayName("Conveyor alerts")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        options.alertEmail().ifPresent(email -> alerts.addSubscription(new EmailSubscription(email)));
        action = new SnsAction(alerts);

        List<IMetric> invocations = new ArrayList<>();
        List<IMetric> errors = new ArrayList<>();
        List<IMetric> throttles = new ArrayList<>();
        List<IMetric> durations = new ArrayList<>();
        for (Functions.Deployed f : functions.all()) {
            String name = f.spec().name();
            alarm(name + "FunctionErrors", f.function().metricErrors(SUM), "the " + name + " function failed");
            alarm(name + "FunctionThrottles", f.function().metricThrottles(SUM), "the " + name + " function was throttled");
            invocations.add(f.function().metricInvocations(sum(name)));
            errors.add(f.function().metricErrors(sum(name)));
            throttles.add(f.function().metricThrottles(sum(name)));
            durations.add(f.function().metricDuration(MetricOptions.builder().period(PERIOD).statistic("p99").label(name).build()));
        }

        List<IMetric> started = new ArrayList<>();
        List<IMetric> succeeded = new ArrayList<>();
        List<IMetric> failed = new ArrayList<>();
        for (Workflows.Deployed w : workflows.all()) {
            String name = w.spec().name();
            alarm(name + "Failed", w.stateMachine().metricFailed(SUM), "a job execution of " + name + " failed");
            alarm(name + "TimedOut", w.stateMachine().metricTimedOut(SUM), "a job execution of " + name + " timed out");
            started.add(w.stateMachine().metricStarted(sum(name)));
            succeeded.add(w.stateMachine().metricSucceeded(sum(name)));
            failed.add(w.stateMachine().metricFailed(sum(name)));
        }

        // The cleaner's own count of jobs it could not clean (CleanerHandler, via Powertools' EMF: the Service
        // dimension is POWERTOOLS_SERVICE_NAME), and the schedule's failures to invoke it at all.
        String cleanerService = Catalogue.environment(Catalogue.CLEANER, allNames()).get("POWERTOOLS_SERVICE_NAME");
        Metric cleanupErrors = cleanerMetric("CleanupErrors", cleanerService);
        // Without a label: a labelled metric makes the alarm a metric-math alarm, which hides the metric's name.
        alarm("CleanupErrors", Metric.Builder.create().namespace(Catalogue.METRICS_NAMESPACE).metricName("CleanupErrors")
                .dimensionsMap(Map.of("Service", cleanerService)).period(PERIOD).statistic("Sum").build(),
                "the cleaner could not clean some expired jobs");
        Metric scheduleFailures = Metric.Builder.create()
                .namespace("AWS/Events")
                .metricName("FailedInvocations")
                .dimensionsMap(Map.of("RuleName", cleanerSchedule.getRuleName()))
                .period(PERIOD)
                .statistic("Sum")
                .build();
        alarm("CleanerScheduleFailures", scheduleFailures, "the schedule could not invoke the cleaner");
        alarm("ApiServerErrors", api.api().metricServerError(SUM), "the API answered with a 5xx");
        alarm("ExecutionEndedDeadLetters", executionEndedDeadLetters.metricApproximateNumberOfMessagesVisible(
                MetricOptions.builder().period(PERIOD).statistic("Maximum").build()),
                "an execution's end could not be delivered to the ExecutionEnded function (its job is ended by the "
                        + "execution sweep; the event is in the dead-letter queue)");
        // The sweep's own count of jobs it had to end: each is an execution whose event never reached the rule.
        String sweepService = Catalogue.environment(Catalogue.EXECUTION_SWEEP, allNames()).get("POWERTOOLS_SERVICE_NAME");
        alarm("JobsEndedBySweep", Metric.Builder.create().namespace(Catalogue.METRICS_NAMESPACE)
                .metricName("JobsEndedBySweep").dimensionsMap(Map.of("Service", sweepService)).period(PERIOD)
                .statistic("Sum").build(), "the execution sweep ended a job whose execution's end event was lost");

        List<List<IWidget>> rows = new ArrayList<>();
        rows.add(List.of(TextWidget.Builder.create()
                .markdown("# Conveyor\nJobs, functions and the cleaner. Alarms go to the alert topic.")
                .width(24).height(2).build()));
        rows.add(List.of(
                graph("API requests", List.of(api.api().metricCount(sum("requests")),
                        api.api().metricClientError(sum("4xx")),
                        api.api().metricServerError(sum("5xx")))),
                graph("API latency p99 (ms)", List.of(api.api().metricLatency(MetricOptions.builder()
                        .period(PERIOD).statistic("p99").label("latency").build()))),
                graph("Job executions started", started),
                graph("Job executions succeeded", succeeded)));
        rows.add(List.of(graph("Job executions failed", failed), graph("Function invocations", invocations),
                graph("Function errors", errors), graph("Function throttles", throttles)));
        rows.add(List.of(graph("Function duration p99 (ms)", durations),
                graph("Cleaner", List.of(cleanerMetric("JobsDeleted", cleanerService),
                        cleanerMetric("ObjectsDeleted", cleanerService), cleanupErrors)),
                graph("Cleaner schedule failures", List.of(scheduleFailures))));
        Dashboard.Builder.create(this, "Dashboard")
                .dashboardName("conveyor")
                .widgets(rows)
                .build();
    }

    /** Placeholder names: only the service name is read from this environment. */
    private static Map<Resource, String> allNames() {
        Map<Resource, String> names = new EnumMap<>(Resource.class);
        for (Resource r : Resource.values()) {
            names.put(r, r.name());
        }
        return names;
    }

    private static Metric cleanerMetric(String name, String service) {
        return Metric.Builder.create()
                .namespace(Catalogue.METRICS_NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of("Service", service))
                .period(PERIOD)
                .statistic("Sum")
                .label(name)
                .build();
    }

    /** A 5-minute sum labelled {@code label} on the dashboard. */
    private static MetricOptions sum(String label) {
        return MetricOptions.builder().period(PERIOD).statistic("Sum").label(label).build();
    }

    private static GraphWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(6).height(6).build();
    }

    /** An alarm when {@code metric} (a 5-minute sum) reaches 1, to the alert topic. */
    private void alarm(String id, IMetric metric, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription("Conveyor: " + description + " (at least once in 5 minutes)")
                .metric(metric)
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(action);
    }

    /** The CloudWatch Logs retention of {@code days}, one of {@link DeploymentOptions#LOG_RETENTION_DAYS}. */
    static RetentionDays retention(int days) {
        int index = DeploymentOptions.LOG_RETENTION_DAYS.indexOf(days);
        List<RetentionDays> finite = List.of(RetentionDays.ONE_DAY, RetentionDays.THREE_DAYS, RetentionDays.FIVE_DAYS,
                RetentionDays.ONE_WEEK, RetentionDays.TWO_WEEKS, RetentionDays.ONE_MONTH, RetentionDays.TWO_MONTHS,
                RetentionDays.THREE_MONTHS, RetentionDays.FOUR_MONTHS, RetentionDays.FIVE_MONTHS,
                RetentionDays.SIX_MONTHS, RetentionDays.ONE_YEAR, RetentionDays.THIRTEEN_MONTHS,
                RetentionDays.EIGHTEEN_MONTHS, RetentionDays.TWO_YEARS, RetentionDays.THREE_YEARS,
                RetentionDays.FIVE_YEARS, RetentionDays.SIX_YEARS, RetentionDays.SEVEN_YEARS, RetentionDays.EIGHT_YEARS,
                RetentionDays.NINE_YEARS, RetentionDays.TEN_YEARS);
        if (index < 0) {
            throw new IllegalArgumentException("CloudWatch Logs keeps logs for one of "
                    + DeploymentOptions.LOG_RETENTION_DAYS + " days, not " + days);
        }
        return finite.get(index);
    }

    public Topic alerts() {
        return alerts;
    }

}
