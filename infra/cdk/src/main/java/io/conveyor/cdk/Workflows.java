package io.conveyor.cdk;

import io.conveyor.deployment.Definitions;
import io.conveyor.deployment.StateMachineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The job state machines, one per program ({@link io.conveyor.deployment.Catalogue#stateMachines}): the ASL file
 * from the {@code state-machines} module inlined as the definition string (so the template shows it), with the
 * program's limits and the function aliases' ARNs as CloudFormation definition substitutions; logging of every
 * event to CloudWatch Logs, X-Ray tracing, and a role that may invoke exactly the aliases the definition names.
 */
public final class Workflows extends Construct {

    /** One deployed job state machine. */
    public record Deployed(StateMachineSpec spec, StateMachine stateMachine, LogGroup logGroup) {}

    private final List<Deployed> machines = new ArrayList<>();

    public Workflows(Construct scope, String id, DeploymentOptions options, List<StateMachineSpec> specs,
            Functions functions, Storage storage, AccessPolicies access) {
        super(scope, id);
        for (StateMachineSpec spec : specs) {
            String definition = Definitions.load(spec.definition());
            Map<String, String> substitutions = spec.substitutions(function -> functions.get(function).alias().getFunctionArn());
            List<String> aliases = spec.functions().stream().map(f -> functions.get(f).alias().getFunctionArn()).toList();

            // Vended-log group names under /aws/vendedlogs/ keep the account's log resource policy small.
            LogGroup logGroup = LogGroup.Builder.create(this, spec.name() + "Logs")
                    .logGroupName("/aws/vendedlogs/states/" + spec.name())
                    .retention(Monitoring.retention(options.logRetentionDays()))
                    .removalPolicy(options.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                    .build();

            StateMachine machine = StateMachine.Builder.create(this, spec.name())
                    .stateMachineName(spec.name())
                    .stateMachineType(StateMachineType.STANDARD)
                    .definitionBody(DefinitionBody.fromString(definition))
                    .definitionSubstitutions(substitutions)
                    .logs(LogOptions.builder()
                            .destination(logGroup)
                            .level(LogLevel.ALL)
                            .includeExecutionData(true)
                            .build())
                    .tracingEnabled(true)
                    .build();

            // What the definition does, and nothing else: invoke the function aliases it names ...
            machine.addToRolePolicy(AccessPolicies.allow(List.of("lambda:InvokeFunction"), aliases));
            // ... read the subjob manifest its Distributed Map's ItemReader names (always under jobs/) ...
            machine.addToRolePolicy(AccessPolicies.allow(List.of("s3:GetObject"),
                    List.of(storage.bucket().arnForObjects(Storage.JOBS_PREFIX + "*"))));
            // ... and run the map's child executions: started on this state machine (named, not referenced, so
            // the role does not depend on the machine it belongs to), described and stopped by the map run. Only
            // the children: the workflow never describes or stops an execution of its own.
            machine.addToRolePolicy(AccessPolicies.allow(List.of("states:StartExecution"),
                    List.of(access.stateMachineArn(spec.name()))));
            machine.addToRolePolicy(AccessPolicies.allow(List.of("states:DescribeExecution", "states:StopExecution"),
                    List.of(childExecutionsArn(spec.name()))));
            machines.add(new Deployed(spec, machine, logGroup));
        }
    }

    /** The child executions of the state machine's Distributed Map runs ({@code execution:<name>/<map run>:<id>}). */
    private String childExecutionsArn(String name) {
        return Stack.of(this).formatArn(ArnComponents.builder()
                .service("states")
                .resource("execution")
                .resourceName(name + "/*")
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
    }

    public List<Deployed> all() {
        return List.copyOf(machines);
    }
}
