package io.conveyor.cdk;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigateway.IdentitySource;
import software.amazon.awscdk.services.apigateway.TokenAuthorizer;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The API's authoriser with {@code conveyor:auth=devToken}, for development on emulators only (LocalStack's free
 * image has no Cognito and enforces no IAM): a Lambda TOKEN authoriser, {@value #HANDLER}, that makes
 * {@code Authorization: Bearer <user>} the caller {@code <user>} with no credential. Anyone can call as anyone: never
 * deploy it to a real account. Its function runs from the same jar as every other function, with a role that may only
 * write its own log group.
 */
final class DevTokenAuth extends Construct {
    /** The authoriser's handler, in the functions jar. */
    static final String HANDLER = "io.conveyor.devauth.DevTokenAuthorizer";

    private final Function function;
    private final TokenAuthorizer authorizer;

    DevTokenAuth(Construct scope, String id, DeploymentOptions options) {
        super(scope, id);
        LogGroup logGroup = LogGroup.Builder.create(this, "Logs")
                .retention(Monitoring.retention(options.logRetentionDays()))
                .removalPolicy(options.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();
        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Conveyor development token authoriser: writes its own log group, nothing else")
                .build();
        logGroup.grantWrite(role);
        function = Function.Builder.create(this, "Function")
                .description("Conveyor development token authoriser (" + HANDLER + "): Bearer <user>, no credential")
                .runtime(Functions.runtime(options))
                .architecture(Architecture.ARM_64)
                .code(Code.fromAsset(options.lambdaJar().toString()))
                .handler(HANDLER)
                .memorySize(512)
                .timeout(Duration.seconds(10))
                .role(role)
                .logGroup(logGroup)
                .build();
        authorizer = TokenAuthorizer.Builder.create(this, "Authorizer")
                .authorizerName("conveyor-dev-token")
                .handler(function)
                .identitySource(IdentitySource.header("Authorization"))
                // Decided per request: a cached policy would allow only the method it was issued for.
                .resultsCacheTtl(Duration.seconds(0))
                .build();
    }

    Function function() {
        return function;
    }

    TokenAuthorizer authorizer() {
        return authorizer;
    }
}
