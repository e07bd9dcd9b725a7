package io.conveyor.cdk;

import io.conveyor.deployment.Access;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.FunctionSpec;
import io.conveyor.deployment.Resource;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * Every function of {@link Catalogue#FUNCTIONS}: arm64, SnapStart on published versions, reached only through its
 * {@value #ALIAS} alias (a published version, so SnapStart applies); memory, timeout and handler from the
 * catalogue; the environment from {@link Catalogue#environment}; its own log group and a role that carries exactly
 * its {@link FunctionSpec#access()}.
 */
public final class Functions extends Construct {
    /** The alias every caller (API Gateway, the state machines, the schedule) invokes. */
    public static final String ALIAS = "live";

    /** One deployed function. */
    public record Deployed(FunctionSpec spec, Function function, Alias alias, Role role, LogGroup logGroup) {}

    private final Map<String, Deployed> functions = new LinkedHashMap<>();

    /** @param browserOrigin the web dashboard's origin, which the API and worker protocol functions let read their answers (CORS) */
    public Functions(Construct scope, String id, DeploymentOptions options, Storage storage, AccessPolicies access,
            String eventBusName, Optional<String> browserOrigin) {
        super(scope, id);
        if (!Files.isRegularFile(options.lambdaJar())) {
            throw new IllegalStateException("the Lambda jar " + options.lambdaJar().toAbsolutePath() + " does not exist:"
                    + " build it with `mvn -B install -pl functions -am -DskipTests` (the infra/cdk build copies it to "
                    + DeploymentOptions.Option.LAMBDA_JAR.defaultValue() + "), or give its path with -c "
                    + DeploymentOptions.Option.LAMBDA_JAR.key() + "=<path>");
        }
        Code code = Code.fromAsset(options.lambdaJar().toString());
        Runtime runtime = runtime(options);

        Map<Resource, String> names = new EnumMap<>(Resource.class);
        storage.tables().forEach((resource, table) -> names.put(resource, table.getTableName()));
        names.put(Resource.BUCKET, storage.bucket().getBucketName());
        names.put(Resource.JOB_WORKFLOWS, access.workflowArnPrefix());
        names.put(Resource.EVENT_BUS, eventBusName);

        for (FunctionSpec spec : Catalogue.FUNCTIONS) {
            LogGroup logGroup = LogGroup.Builder.create(this, spec.name() + "Logs")
                    .retention(Monitoring.retention(options.logRetentionDays()))
                    .removalPolicy(options.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                    .build();
            // A role of its own with no managed policy: logging to its own group, and its access list.
            Role role = Role.Builder.create(this, spec.name() + "Role")
                    .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                    .description("Conveyor " + spec.name() + " function: " + spec.access().size() + " grants from the catalogue")
                    .build();
            logGroup.grantWrite(role);
            for (Access a : spec.access()) {
                access.statements(a).forEach(role::addToPolicy);
            }

            Map<String, String> environment = new LinkedHashMap<>(Catalogue.environment(spec, names));
            environment.putAll(options.functionSettings());
            if (spec.equals(Catalogue.API) || spec.equals(Catalogue.WORKER_PROTOCOL)) {
                browserOrigin.ifPresent(origin -> environment.put("CONVEYOR_BROWSER_ORIGIN", origin));
            }

            Function.Builder builder = Function.Builder.create(this, spec.name())
                    .description("Conveyor " + spec.name() + " (" + spec.handler() + ")")
                    .runtime(runtime)
                    .architecture(Architecture.ARM_64)
                    .code(code)
                    .handler(spec.handler())
                    .memorySize(spec.memoryMb())
                    .timeout(Duration.seconds(spec.timeout().toSeconds()))
                    .environment(environment)
                    .role(role)
                    .logGroup(logGroup)
                    // The functions write JSON lines (io.conveyor.logging); Lambda's JSON format keeps them as they
                    // are, filters them by their "level" (the application level reaches the code as
                    // AWS_LAMBDA_LOG_LEVEL), and writes its own START/END/REPORT lines as JSON too (INFO keeps the
                    // REPORT lines, with their init duration, which cold-start queries read).
                    .loggingFormat(LoggingFormat.JSON)
                    .applicationLogLevelV2(ApplicationLogLevel.INFO)
                    .systemLogLevelV2(SystemLogLevel.INFO)
                    .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
            OptionalInt reserved = spec.equals(Catalogue.WORKER_PROTOCOL)
                    ? OptionalInt.of(options.workerReservedConcurrency()) : spec.reservedConcurrency();
            reserved.ifPresent(builder::reservedConcurrentExecutions);
            Function function = builder.build();
            Alias alias = Alias.Builder.create(this, spec.name() + "Alias")
                    .aliasName(ALIAS)
                    .version(function.getCurrentVersion())
                    .build();
            functions.put(spec.name(), new Deployed(spec, function, alias, role, logGroup));
        }
    }

    /** The Lambda runtime {@code conveyor:lambdaRuntime} names. */
    static Runtime runtime(DeploymentOptions options) {
        return options.lambdaRuntime().equals("java25") ? Runtime.JAVA_25 : Runtime.JAVA_21;
    }

    /** The deployed function of a catalogue name. */
    public Deployed get(String name) {
        Deployed deployed = functions.get(name);
        if (deployed == null) {
            throw new IllegalArgumentException("no function " + name + " in the catalogue");
        }
        return deployed;
    }

    /** Every deployed function, in catalogue order. */
    public Iterable<Deployed> all() {
        return functions.values();
    }
}
