package io.conveyor.cdk;

import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.ExecutionRuleSpec;
import io.conveyor.deployment.ScheduleSpec;
import io.conveyor.deployment.StateMachineSpec;
import io.conveyor.program.ProgramRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Everything Conveyor deploys, read from the deployment catalogue ({@link Catalogue}) that the local runtime
 * reads too: the bucket and tables, the functions, one job state machine per program, the REST API, the
 * cleaner's schedule, the rule that fails jobs whose workflow ended abnormally, the job event bus, the API's page-token
 * key, alerts and the dashboard.
 */
public final class ConveyorStack extends Stack {
    private final Storage storage;
    private final Functions functions;
    private final Workflows workflows;
    private final JobApi api;
    private final Optional<Dashboard> dashboard;
    private final EventBus events;
    private final Rule cleanerSchedule;
    private final Rule executionEnded;
    private final Secret pageTokenKey;
    private final Queue executionEndedDeadLetters;

    public ConveyorStack(Construct scope, String id, StackProps props, DeploymentOptions options) {
        super(scope, id, props);
        ProgramRegistry programs = options.programRegistry();
        List<StateMachineSpec> machines = Catalogue.stateMachines(programs);

        storage = new Storage(this, "Storage", options);
        dashboard = options.dashboard()
                ? Optional.of(new Dashboard(this, "Dashboard", options, storage.accessLogs()))
                : Optional.empty();
        Optional<String> dashboardOrigin = dashboard.map(Dashboard::origin);
        dashboardOrigin.ifPresent(origin -> storage.allowBrowsers(List.of(origin)));
        events = EventBus.Builder.create(this, "JobEvents").eventBusName(Catalogue.EVENT_BUS).build();
        AccessPolicies access = new AccessPolicies(this, storage, events, machines, programs);
        functions = new Functions(this, "Functions", options, storage, access, events.getEventBusName(), dashboardOrigin);
        workflows = new Workflows(this, "Workflows", options, machines, functions, storage, access);
        api = new JobApi(this, "JobApi", options, functions, dashboard.map(Dashboard::users), dashboardOrigin);
        dashboard.ifPresent(d -> d.publish(options, api));
        pageTokenKey = pageTokenKey(functions.get(Catalogue.API.name()));

        Rule cleaner = null;
        for (ScheduleSpec schedule : Catalogue.SCHEDULES) {
            String expression = schedule.equals(Catalogue.CLEANER_SCHEDULE) ? options.cleanerSchedule() : schedule.expression();
            Rule rule = Rule.Builder.create(this, schedule.name())
                    .description("Runs the " + schedule.function() + " function: " + expression)
                    .schedule(Schedule.expression(expression))
                    .targets(List.of(LambdaFunction.Builder.create(functions.get(schedule.function()).alias())
                            // A missed run is made good by the next one: retry briefly, never pile up.
                            .retryAttempts(2)
                            .maxEventAge(Duration.hours(1))
                            .build()))
                    .build();
            if (schedule.equals(Catalogue.CLEANER_SCHEDULE)) {
                cleaner = rule;
            }
        }
        cleanerSchedule = cleaner;
        // Events the rule could not deliver within its retry policy land here instead of vanishing; the execution sweep
        // ends their jobs anyway, and the alarm on this queue tells an operator that deliveries fail.
        executionEndedDeadLetters = Queue.Builder.create(this, Catalogue.EXECUTION_ENDED_RULE.name() + "DeadLetters")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        executionEnded = executionRule(Catalogue.EXECUTION_ENDED_RULE, executionEndedDeadLetters);

        Monitoring monitoring = new Monitoring(this, "Monitoring", options, functions, workflows, api, cleanerSchedule,
                executionEndedDeadLetters);
        NagFindings.suppress(this, options);

        output("ApiUrl", api.api().getUrl(), "the job API (SigV4-sign requests for service execute-api)");
        output("BucketName", storage.bucket().getBucketName(), "the job bucket");
        storage.tables().forEach((resource, table) -> output(storage.definition(resource).logicalName() + "TableName",
                table.getTableName(), "the " + storage.definition(resource).logicalName() + " table ("
                        + resource.settingName() + ")"));
        output("EventBusName", events.getEventBusName(), "the bus JobStatusChanged events go to");
        output("EventBusArn", events.getEventBusArn(), "the job event bus");
        output("AlertTopicArn", monitoring.alerts().getTopicArn(), "subscribe to this topic for alarms");
        output("WorkflowArnPrefix", access.workflowArnPrefix(), "job state machines are this prefix and the program name");
        output("UsagePlanId", api.usagePlan().getUsagePlanId(), "add API keys to this usage plan");
        output("DashboardName", "conveyor", "the CloudWatch dashboard");
        dashboard.ifPresent(d -> {
            output("WebDashboardUrl", d.origin() + "/", "the web dashboard (sign in with a user of the user pool)");
            output("UserPoolId", d.users().getUserPoolId(), "add dashboard users here (admin create user; no self sign-up)");
            output("UserPoolClientId", d.client().getUserPoolClientId(), "the dashboard's public client (code flow, PKCE)");
            output("SignInUrl", d.signIn().baseUrl(), "Cognito's hosted sign-in");
        });
    }

    /**
     * The key the API signs page tokens with: generated by Secrets Manager, so it is in no template, code or log, and
     * read by the API alone, once at start-up. Deleting it with the stack loses nothing but the page tokens handed out.
     */
    private Secret pageTokenKey(Functions.Deployed reader) {
        Secret secret = Secret.Builder.create(this, "PageTokenKey")
                .description("Conveyor: the key the API signs page tokens with (HMAC-SHA256)")
                .generateSecretString(SecretStringGenerator.builder().passwordLength(64).excludePunctuation(true).build())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        secret.grantRead(reader.role());
        reader.function().addEnvironment(Catalogue.PAGE_TOKEN_SECRET_SETTING, secret.getSecretArn());
        return secret;
    }

    /** The rule on the default bus that sends the job workflows' execution status changes to a function. */
    private Rule executionRule(ExecutionRuleSpec spec, Queue deadLetters) {
        List<String> stateMachines = workflows.all().stream().map(w -> w.stateMachine().getStateMachineArn()).toList();
        return Rule.Builder.create(this, spec.name())
                .description("Sends the job workflows' " + String.join(", ", spec.statuses())
                        + " executions to the " + spec.function() + " function")
                .eventPattern(EventPattern.builder()
                        .source(List.of(ExecutionRuleSpec.SOURCE))
                        .detailType(List.of(ExecutionRuleSpec.DETAIL_TYPE))
                        .detail(Map.of("stateMachineArn", stateMachines, "status", spec.statuses()))
                        .build())
                .targets(List.of(LambdaFunction.Builder.create(functions.get(spec.function()).alias())
                        // A missed event leaves a job stuck: keep retrying for as long as EventBridge allows.
                        .retryAttempts(185)
                        .maxEventAge(Duration.hours(24))
                        .deadLetterQueue(deadLetters)
                        .build()))
                .build();
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    public Storage storage() {
        return storage;
    }

    public Functions functions() {
        return functions;
    }

    public Workflows workflows() {
        return workflows;
    }

    public JobApi api() {
        return api;
    }

    /** The web dashboard, with {@code conveyor:dashboard=true}. */
    public Optional<Dashboard> dashboard() {
        return dashboard;
    }

    public EventBus events() {
        return events;
    }

    public Rule cleanerSchedule() {
        return cleanerSchedule;
    }

    public Rule executionEnded() {
        return executionEnded;
    }

    public Secret pageTokenKey() {
        return pageTokenKey;
    }

    /** Where the {@code ExecutionEnded} rule puts the events it could not deliver. */
    public Queue executionEndedDeadLetters() {
        return executionEndedDeadLetters;
    }
}
