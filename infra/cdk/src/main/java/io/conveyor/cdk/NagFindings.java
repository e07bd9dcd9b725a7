package io.conveyor.cdk;

import io.conveyor.deployment.Access;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/**
 * The cdk-nag AwsSolutions findings this stack keeps, each suppressed where it arises, narrowed with
 * {@code appliesTo} to the exact wildcard it is about, and given the reason it is right here. Everything else
 * the pack checks is fixed in the constructs themselves (see {@code infra/cdk/README.md}, "cdk-nag").
 */
final class NagFindings {
    /** Objects under the bucket's jobs/ prefix (the bucket's ARN is a GetAtt, hence the pattern). */
    static final RegexAppliesTo JOB_OBJECTS = RegexAppliesTo.builder()
            .regex("/^Resource::<StorageJobsBucket[0-9A-F]+\\.Arn>\\/jobs\\/\\*$/g")
            .build();
    /** Executions of a job state machine, including its map runs' child executions. */
    static final RegexAppliesTo JOB_EXECUTIONS = RegexAppliesTo.builder()
            .regex("/^Resource::arn:(<AWS::Partition>|aws[a-z-]*):states:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]{12})"
                    + ":execution:conveyor-job-[a-z0-9-]+(:|\\/)\\*$/g")
            .build();

    private NagFindings() {}

    private static void dashboard(ConveyorStack stack, Dashboard d) {
        NagSuppressions.addResourceSuppressions(d.users(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-COG3")
                .reason("Threat protection (the Plus feature plan) is billed per active user, a decision for the account; "
                        + "without it the pool still requires a second factor (TOTP), a 12-character password, and an "
                        + "administrator to create every user (no self sign-up).")
                .build()));
        NagSuppressions.addResourceSuppressions(d.distribution(), List.of(
                NagPackSuppression.builder()
                        .id("AwsSolutions-CFR1")
                        .reason("No geo restriction: who may use the dashboard is decided by the user pool (administrator-"
                                + "created users with a second factor), not by country; the files hold no data.")
                        .build(),
                NagPackSuppression.builder()
                        .id("AwsSolutions-CFR2")
                        .reason("No WAF web ACL by default, as for the API: the distribution serves static files only, every "
                                + "data request goes to the API with a Cognito token, and a web ACL is a per-account cost and "
                                + "rules decision; associate one when the deployment needs it.")
                        .build(),
                NagPackSuppression.builder()
                        .id("AwsSolutions-CFR3")
                        .reason("CloudFront's standard logs need a bucket with ACLs, which the stack's log bucket disables "
                                + "(bucket owner enforced); the site bucket's server access logs record every read CloudFront "
                                + "makes of the files, and the API's access logs every call the page makes.")
                        .build(),
                NagPackSuppression.builder()
                        .id("AwsSolutions-CFR4")
                        .reason("The distribution uses CloudFront's own *.cloudfront.net certificate, whose security policy "
                                + "CloudFront fixes; a custom domain with an ACM certificate would set TLSv1.2_2021. Viewers "
                                + "are redirected to HTTPS and sent HSTS.")
                        .build()));
        // The BucketDeployment's handler is a singleton of aws-cdk-lib's at the stack's root, with its own role.
        for (IConstruct child : stack.getNode().getChildren()) {
            if (child.getNode().getId().startsWith("Custom::CDKBucketDeployment")) {
                NagSuppressions.addResourceSuppressions(child, List.of(
                        NagPackSuppression.builder()
                                .id("AwsSolutions-L1")
                                .reason("aws-cdk-lib's BucketDeployment handler (Python, with the AWS CLI layer) runs on the "
                                        + "runtime aws-cdk-lib pins for it; it runs only during a deployment.")
                                .build(),
                        NagPackSuppression.builder()
                                .id("AwsSolutions-IAM4")
                                .reason("aws-cdk-lib's BucketDeployment handler logs with AWSLambdaBasicExecutionRole, the "
                                        + "policy AWS documents for a function's own log group.")
                                .appliesTo(List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                                        + "AWSLambdaBasicExecutionRole"))
                                .build(),
                        NagPackSuppression.builder()
                                .id("AwsSolutions-IAM5")
                                .reason("aws-cdk-lib's BucketDeployment copies the dashboard's asset from the CDK assets bucket "
                                        + "into the site bucket (object keys unknown until the build) and invalidates the "
                                        + "distribution's cache (CloudFront's invalidation actions are granted on Resource *).")
                                .appliesTo(List.of("Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*",
                                        "Action::s3:DeleteObject*", "Action::s3:Abort*", "Resource::*",
                                        "Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*",
                                        RegexAppliesTo.builder().regex("/^Resource::<DashboardSiteBucket[0-9A-F]+\\.Arn>\\/\\*$/g")
                                                .build()))
                                .build()), true);
            }
        }
    }

    static void suppress(ConveyorStack stack, DeploymentOptions options) {
        for (Functions.Deployed f : stack.functions().all()) {
            List<Object> wildcards = new ArrayList<>();
            List<String> why = new ArrayList<>();
            for (Access access : f.spec().access()) {
                switch (access.resource()) {
                    case BUCKET -> {
                        wildcards.add(JOB_OBJECTS);
                        why.add("object keys are jobs/<jobId>/..., made at run time, so the grant is the jobs/ prefix of "
                                + "this one bucket (object actions only; ListBucket is on the bucket itself)");
                    }
                    case JOB_WORKFLOWS -> {
                        wildcards.add(JOB_EXECUTIONS);
                        why.add("execution names are job ids, made at run time, so StopExecution is granted on the "
                                + "executions of the named job state machines");
                    }
                    case WORKFLOW_CALLBACKS -> {
                        wildcards.add("Resource::*");
                        why.add("states:SendTaskSuccess/Failure/Heartbeat support no resource-level permissions (the "
                                + "Service Authorization Reference lists no resource type for them), so IAM requires "
                                + "Resource * for exactly these three actions");
                    }
                    default -> {
                        // Tables and indexes are granted by exact ARN (the usage items' writes with a dynamodb:LeadingKeys
                        // condition too), the bus by ARN with an events:source condition.
                    }
                }
            }
            if (!wildcards.isEmpty()) {
                NagSuppressions.addResourceSuppressions(f.role(), List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("Least privilege from the catalogue's access list of " + f.spec().name() + ": "
                                + String.join("; ", why) + ".")
                        .appliesTo(wildcards)
                        .build()), true);
            }
            Annotations.of(f.function()).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                    "Every caller invokes the '" + Functions.ALIAS + "' alias of the published currentVersion.");
            if (options.lambdaRuntime().equals("java21")) {
                NagSuppressions.addResourceSuppressions(f.function(), List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-L1")
                        .reason("java21 was chosen with the conveyor:lambdaRuntime context option (the default is the "
                                + "latest, java25); it is a supported LTS runtime with SnapStart.")
                        .build()));
            }
        }

        for (Workflows.Deployed w : stack.workflows().all()) {
            NagSuppressions.addResourceSuppressions(w.stateMachine(), List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-IAM5")
                    .reason("Resource * is what AWS requires for X-Ray tracing (xray:PutTraceSegments and friends) and "
                            + "for CloudWatch Logs delivery (logs:CreateLogDelivery and friends): neither supports "
                            + "resource-level permissions. jobs/* is the Distributed Map's ItemReader reading the manifest, "
                            + "whose key holds the job id. The execution pattern is its map runs' child executions, which "
                            + "the map run describes and stops.")
                    .appliesTo(List.of("Resource::*", JOB_OBJECTS, JOB_EXECUTIONS))
                    .build()), true);
            Validations.of(w.stateMachine()).acknowledge(Acknowledgment.builder()
                    .id("CloudFormation-Validate::E1029")
                    .reason("The ${...} in the definition are Step Functions DefinitionSubstitutions, not Fn::Sub "
                            + "parameters.")
                    .build());
        }

        JobApi api = stack.api();
        if (options.apiGatewayCloudWatchRole()) {
            NagSuppressions.addResourceSuppressions(api.api(), List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-IAM4")
                    .reason("AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents for the account-level role "
                            + "API Gateway writes access and execution logs with; it must reach every API's log groups.")
                    .appliesTo(List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                            + "AmazonAPIGatewayPushToCloudWatchLogs"))
                    .build()), true);
        }
        if (options.auth() == DeploymentOptions.Auth.IAM) {
            NagSuppressions.addResourceSuppressions(api.api(), List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-COG4")
                    .reason("Every method uses IAM (SigV4) authorisation, the default auth mode: callers are IAM "
                            + "principals. conveyor:auth=cognito switches every method to a Cognito user-pool authoriser.")
                    .build()), true);
        }
        api.devTokenAuth().ifPresent(devToken -> {
            NagSuppressions.addResourceSuppressions(api.api(), List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-COG4")
                    .reason("conveyor:auth=devToken is for emulators without Cognito or IAM enforcement (LocalStack's "
                            + "free image): every method uses the development token authoriser, never on a real account; "
                            + "conveyor:auth=cognito switches every method to a Cognito user-pool authoriser.")
                    .build()), true);
            if (options.lambdaRuntime().equals("java21")) {
                NagSuppressions.addResourceSuppressions(devToken.function(), List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-L1")
                        .reason("java21 was chosen with the conveyor:lambdaRuntime context option (the default is the "
                                + "latest, java25); it is a supported LTS runtime.")
                        .build()));
            }
        });
        NagSuppressions.addResourceSuppressions(stack.pageTokenKey(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason("The page-token key signs tokens that live for one listing: rotating it would only refuse the "
                        + "tokens handed out before, and the API reads it once per start-up, so a rotation would also "
                        + "need every function instance replaced; replace the secret's value and publish new versions to "
                        + "rotate it by hand.")
                .build()));
        stack.dashboard().ifPresent(d -> dashboard(stack, d));
        NagSuppressions.addResourceSuppressions(api.api(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-APIG3")
                .reason("No WAF web ACL by default: every method requires SigV4 or Cognito authorisation (or, in development "
                        + "only, the token authoriser), the stage and the "
                        + "usage plan throttle, and a web ACL is a per-account cost and rules decision; associate one "
                        + "with the stage when the deployment needs it.")
                .build()), true);
        NagSuppressions.addResourceSuppressions(stack.executionEndedDeadLetters(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This queue is itself a dead-letter queue: the ExecutionEnded rule's target puts the events it "
                        + "could not deliver here (an EventBridge target's DeadLetterConfig, which cdk-nag does not "
                        + "recognise as a redrive policy); nothing consumes it, an alarm watches its depth.")
                .build()));
    }
}
