package io.conveyor.cdk;

import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.GatewayResponses;
import io.conveyor.deployment.RouteSpec;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.CognitoUserPoolsAuthorizer;
import software.amazon.awscdk.services.apigateway.CorsOptions;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.GatewayResponseOptions;
import software.amazon.awscdk.services.apigateway.IAuthorizer;
import software.amazon.awscdk.services.apigateway.IModel;
import software.amazon.awscdk.services.apigateway.IResource;
import software.amazon.awscdk.services.apigateway.JsonSchema;
import software.amazon.awscdk.services.apigateway.JsonSchemaType;
import software.amazon.awscdk.services.apigateway.JsonSchemaVersion;
import software.amazon.awscdk.services.apigateway.JsonWithStandardFieldProps;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LambdaIntegrationOptions;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.ModelOptions;
import software.amazon.awscdk.services.apigateway.Period;
import software.amazon.awscdk.services.apigateway.QuotaSettings;
import software.amazon.awscdk.services.apigateway.RequestValidator;
import software.amazon.awscdk.services.apigateway.RequestValidatorOptions;
import software.amazon.awscdk.services.apigateway.ResponseType;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.apigateway.ThrottleSettings;
import software.amazon.awscdk.services.apigateway.UsagePlan;
import software.amazon.awscdk.services.apigateway.UsagePlanPerApiStage;
import software.amazon.awscdk.services.apigateway.UsagePlanProps;
import software.amazon.awscdk.services.cognito.IUserPool;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The REST API: every route of {@link Catalogue#ROUTES} as a Lambda proxy integration of its function's alias;
 * IAM (SigV4) authorisation by default, or a Cognito user-pool authoriser, or (development only) the
 * {@link DevTokenAuth} token authoriser; request validation; stage throttling and
 * a usage plan; JSON access logs; errors API Gateway itself answers shaped as the handler's ({@code code},
 * {@code message}).
 */
public final class JobApi extends Construct {
    /** The stage; the API's URL ends with it. */
    public static final String STAGE = "v1";

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private final RestApi api;
    private final UsagePlan usagePlan;
    private final LogGroup accessLogs;
    private DevTokenAuth devTokenAuth;

    /**
     * @param userPool      the stack's own user pool (the dashboard's), trusted instead of {@code conveyor:userPoolArn}
     * @param browserOrigin the web dashboard's origin: every resource answers its CORS preflight, and API Gateway's
     *                      own refusals carry its Access-Control-Allow-Origin (the function adds it to its answers)
     */
    public JobApi(Construct scope, String id, DeploymentOptions options, Functions functions, Optional<IUserPool> userPool,
            Optional<String> browserOrigin) {
        super(scope, id);
        accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(Monitoring.retention(options.logRetentionDays()))
                .removalPolicy(options.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();

        api = RestApi.Builder.create(this, "Api")
                .restApiName("conveyor")
                .description("Conveyor job API")
                .endpointTypes(List.of(EndpointType.REGIONAL))
                .cloudWatchRole(options.apiGatewayCloudWatchRole())
                .deployOptions(StageOptions.builder()
                        .stageName(STAGE)
                        .accessLogDestination(new LogGroupLogDestination(accessLogs))
                        .accessLogFormat(AccessLogFormat.jsonWithStandardFields(JsonWithStandardFieldProps.builder()
                                .caller(true).httpMethod(true).ip(true).protocol(true).requestTime(true)
                                .resourcePath(true).responseLength(true).status(true).user(true)
                                .build()))
                        // Execution logs of errors only: full request logging would copy bodies into the logs.
                        .loggingLevel(MethodLoggingLevel.ERROR)
                        .dataTraceEnabled(false)
                        .metricsEnabled(true)
                        .tracingEnabled(true)
                        .throttlingRateLimit(options.apiRateLimit())
                        .throttlingBurstLimit(options.apiBurstLimit())
                        .build())
                .build();

        // The stack's ApiUrl output names the endpoint; the construct's own (hash-named) output would repeat it.
        api.getNode().tryRemoveChild("Endpoint");

        AuthorizationType authorization = AuthorizationType.IAM;
        IAuthorizer authorizer = null;
        if (options.auth() == DeploymentOptions.Auth.COGNITO) {
            authorization = AuthorizationType.COGNITO;
            authorizer = CognitoUserPoolsAuthorizer.Builder.create(this, "UserPoolAuthorizer")
                    .cognitoUserPools(List.of(userPool.orElseGet(() ->
                            UserPool.fromUserPoolArn(this, "UserPool", options.userPoolArn().orElseThrow()))))
                    .identitySource("method.request.header.Authorization")
                    .build();
        } else if (options.auth() == DeploymentOptions.Auth.DEV_TOKEN) {
            devTokenAuth = new DevTokenAuth(this, "DevTokenAuth", options);
            authorization = AuthorizationType.CUSTOM;
            authorizer = devTokenAuth.authorizer();
        }

        RequestValidator validator = api.addRequestValidator("Validator", RequestValidatorOptions.builder()
                .requestValidatorName("body-and-parameters")
                .validateRequestBody(true)
                .validateRequestParameters(true)
                .build());
        // The handler checks every field and says what to change; API Gateway only turns away what is not even a
        // JSON object naming a program, before it costs an invocation.
        IModel createJob = api.addModel("CreateJobRequest", ModelOptions.builder()
                .contentType("application/json")
                .modelName("CreateJobRequest")
                .schema(JsonSchema.builder()
                        .schema(JsonSchemaVersion.DRAFT4)
                        .type(JsonSchemaType.OBJECT)
                        .required(List.of("program"))
                        .properties(Map.of("program", JsonSchema.builder().type(JsonSchemaType.STRING).minLength(1).build()))
                        .build())
                .build());

        Map<String, LambdaIntegration> integrations = new LinkedHashMap<>();
        Set<IResource> preflights = new HashSet<>();
        for (RouteSpec route : Catalogue.ROUTES) {
            LambdaIntegration integration = integrations.computeIfAbsent(route.function(), name ->
                    new LambdaIntegration(functions.get(name).alias(), LambdaIntegrationOptions.builder()
                            .proxy(true)
                            // Console test calls need no standing permission of their own.
                            .allowTestInvoke(false)
                            .build()));
            IResource resource = api.getRoot().resourceForPath(route.path());
            Map<String, Boolean> parameters = new LinkedHashMap<>();
            Matcher m = PATH_PARAMETER.matcher(route.path());
            while (m.find()) {
                parameters.put("method.request.path." + m.group(1), true);
            }
            MethodOptions.Builder method = MethodOptions.builder()
                    // The OpenAPI document's operationId: one name for SDKs, logs and the document.
                    .operationName(route.operation())
                    .requestValidator(validator)
                    .requestParameters(parameters)
                    .apiKeyRequired(options.requireApiKey())
                    .authorizationType(authorization)
                    .authorizer(authorizer);
            if (route.equals(Catalogue.CREATE_JOB)) {
                method.requestModels(Map.of("application/json", createJob));
            }
            resource.addMethod(route.method(), integration, method.build());
            if (browserOrigin.isPresent() && preflights.add(resource)) {
                resource.addCorsPreflight(CorsOptions.builder()
                        .allowOrigins(List.of(browserOrigin.get()))
                        .allowMethods(List.of("GET", "POST", "DELETE"))
                        .allowHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key"))
                        .maxAge(software.amazon.awscdk.Duration.hours(1))
                        .build());
            }
        }

        // Errors API Gateway answers itself look like the handler's (and the local runtime's gateway's).
        // With the dashboard, they also let its pages read them (a 401 from the authoriser, a 429 from throttling).
        Map<String, String> cors = browserOrigin.map(o -> Map.of("Access-Control-Allow-Origin", "'" + o + "'",
                "Vary", "'Origin'")).orElse(Map.of());
        gatewayResponse("BadRequestBody", ResponseType.BAD_REQUEST_BODY, "400", GatewayResponses.VALIDATION_TEMPLATE, cors);
        gatewayResponse("BadRequestParameters", ResponseType.BAD_REQUEST_PARAMETERS, "400",
                GatewayResponses.VALIDATION_TEMPLATE, cors);
        gatewayResponse("Default4xx", ResponseType.DEFAULT_4_XX, null, GatewayResponses.TEMPLATE, cors);
        gatewayResponse("Default5xx", ResponseType.DEFAULT_5_XX, null, GatewayResponses.TEMPLATE, cors);

        usagePlan = api.addUsagePlan("UsagePlan", UsagePlanProps.builder()
                .name("conveyor")
                .description("Throttle and daily quota per API key"
                        + (options.requireApiKey() ? " (every method requires a key)" : ""))
                .throttle(ThrottleSettings.builder()
                        .rateLimit(options.apiRateLimit())
                        .burstLimit(options.apiBurstLimit())
                        .build())
                .quota(QuotaSettings.builder().limit(options.apiQuotaPerDay()).period(Period.DAY).build())
                .apiStages(List.of(UsagePlanPerApiStage.builder().api(api).stage(api.getDeploymentStage()).build()))
                .build());
    }

    private void gatewayResponse(String id, ResponseType type, String status, String template, Map<String, String> headers) {
        GatewayResponseOptions.Builder response = GatewayResponseOptions.builder()
                .type(type)
                .templates(Map.of("application/json", template));
        if (!headers.isEmpty()) {
            response.responseHeaders(headers);
        }
        if (status != null) {
            response.statusCode(status);
        }
        api.addGatewayResponse(id, response.build());
    }

    public RestApi api() {
        return api;
    }

    public UsagePlan usagePlan() {
        return usagePlan;
    }

    public LogGroup accessLogs() {
        return accessLogs;
    }

    /** The development token authoriser, with {@code conveyor:auth=devToken} only. */
    Optional<DevTokenAuth> devTokenAuth() {
        return Optional.ofNullable(devTokenAuth);
    }
}
