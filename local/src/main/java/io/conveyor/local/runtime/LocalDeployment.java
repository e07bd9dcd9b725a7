package io.conveyor.local.runtime;

import io.conveyor.config.HttpClientChoice;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.FunctionSpec;
import io.conveyor.deployment.Resource;
import io.conveyor.local.runtime.lambda.CommandFunction;
import io.conveyor.persistence.TableSpec;
import java.net.URI;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The physical names of the local deployment: what CloudFormation would name the catalogue's resources, chosen
 * once here. Tables are {@code conveyor-<logical name>}, the bucket {@value #BUCKET}, the account
 * {@value #ACCOUNT}, and every ARN is built from the region and that account, as LocalStack does.
 *
 * @param region the region every client and ARN uses
 */
public record LocalDeployment(String region) {
    /** The account of every local ARN. */
    public static final String ACCOUNT = "000000000000";
    /** The bucket that holds every job's objects. */
    public static final String BUCKET = "conveyor-local";

    /** The physical name of {@code table}. */
    public String tableName(TableSpec table) {
        return "conveyor-" + table.logicalName().toLowerCase(Locale.ROOT);
    }

    /** The ARN under which the Step Functions engine invokes {@code function}. */
    public String functionArn(String function) {
        return "arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + function;
    }

    /** The ARN of the state machine {@code name}. */
    public String stateMachineArn(String name) {
        return "arn:aws:states:" + region + ":" + ACCOUNT + ":stateMachine:" + name;
    }

    /** The ARN of the scheduled rule {@code name}. */
    public String ruleArn(String name) {
        return "arn:aws:events:" + region + ":" + ACCOUNT + ":rule/" + name;
    }

    /** The physical name (or ARN prefix) of every named resource, as {@link Catalogue#environment} needs them. */
    public Map<Resource, String> resourceNames() {
        Map<Resource, String> names = new EnumMap<>(Resource.class);
        for (TableSpec table : Catalogue.TABLES) {
            names.put(Resource.of(table), tableName(table));
        }
        names.put(Resource.BUCKET, BUCKET);
        names.put(Resource.JOB_WORKFLOWS, stateMachineArn(Catalogue.WORKFLOW_PREFIX));
        names.put(Resource.EVENT_BUS, Catalogue.EVENT_BUS);
        return names;
    }

    /**
     * The environment {@code function} runs with: the catalogue's (the same the CDK stack gives it), the variables
     * Lambda itself sets, the SDK's endpoint settings for the local services, and {@code overrides} last.
     */
    public Map<String, String> environment(FunctionSpec function, Endpoints endpoints, Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>(Catalogue.environment(function, resourceNames()));
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.putAll(endpointSettings(endpoints));
        // Every request here crosses loopback to an emulator: the pooled Apache client takes a tenth of the time.
        env.put("CONVEYOR_HTTP_CLIENT", HttpClientChoice.APACHE.settingValue());
        env.putAll(overrides);
        return env;
    }

    /**
     * The environment of a function written in another language ({@link CommandFunction}): what Lambda sets for every
     * runtime, the local services' endpoints, and the local credentials (not secrets: the emulators accept only these).
     */
    public Map<String, String> commandEnvironment(CommandFunction function, Endpoints endpoints) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
        env.put("AWS_ACCESS_KEY_ID", LocalRuntime.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", LocalRuntime.SECRET_KEY);
        env.putAll(endpointSettings(endpoints));
        return env;
    }

    private static Map<String, String> endpointSettings(Endpoints endpoints) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL_DYNAMODB", endpoints.dynamoDb().toString());
        env.put("AWS_ENDPOINT_URL_S3", endpoints.s3().toString());
        env.put("AWS_ENDPOINT_URL_SFN", endpoints.stepFunctions().toString());
        env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", endpoints.eventBridge().toString());
        env.put("AWS_ENDPOINT_URL_LAMBDA", endpoints.lambda().toString());
        return env;
    }

    /** Where each local service answers. */
    public record Endpoints(URI dynamoDb, URI s3, URI stepFunctions, URI eventBridge, URI lambda) {}
}
