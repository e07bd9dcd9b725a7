package io.conveyor.devauth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import java.util.List;

/**
 * A development-only API Gateway TOKEN authoriser: {@code Authorization: Bearer <user>} ({@link BearerUser}) makes
 * {@code <user>} the caller, as the policy's {@code principalId}, which {@code io.conveyor.api.Caller} reads. There
 * is no password and no signature: anyone can call as anyone. It exists for emulators without Cognito or IAM
 * enforcement (LocalStack's free image), is deployed only with {@code conveyor:auth=devToken}, and must never front a
 * real account's API.
 *
 * <p>A header that names no user is refused with API Gateway's convention for a TOKEN authoriser, an error whose
 * message is exactly {@value UnauthorizedException#MESSAGE}: the caller gets 401.
 */
public final class DevTokenAuthorizer implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> {

    @Override
    public IamPolicyResponseV1 handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        String user = BearerUser.of(event.getAuthorizationToken()).orElseThrow(UnauthorizedException::new);
        // Allows exactly the method called: with the authoriser's result cache off, each request is decided anew.
        return IamPolicyResponseV1.builder()
                .withPrincipalId(user)
                .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder()
                        .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                        .withStatement(List.of(IamPolicyResponseV1.allowStatement(event.getMethodArn())))
                        .build())
                .build();
    }

    /** The refusal API Gateway turns into a 401. */
    public static final class UnauthorizedException extends RuntimeException {
        /** The message API Gateway looks for. */
        public static final String MESSAGE = "Unauthorized";

        public UnauthorizedException() {
            super(MESSAGE, null, false, false);
        }
    }
}
