package io.conveyor.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: {@code cdk synth} / {@code cdk deploy} run this (see {@code cdk.json} and {@code synth.sh}). One
 * stack, {@value #STACK_NAME}, configured by the {@code conveyor:*} context options ({@link DeploymentOptions}),
 * checked by cdk-nag's AwsSolutions pack on every synth.
 */
public final class ConveyorApp {
    public static final String STACK_NAME = "Conveyor";

    private ConveyorApp() {}

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }

    /** Adds the stack, configured from {@code app}'s context, and the cdk-nag checks to {@code app}. */
    public static ConveyorStack build(App app) {
        DeploymentOptions options = DeploymentOptions.from(app.getNode()::tryGetContext);
        // Environment-agnostic unless the CLI's credentials name an account and region: ARNs are built from
        // AWS::Region and AWS::AccountId, so the same template deploys anywhere.
        StackProps.Builder props = StackProps.builder()
                .description("Conveyor: serverless job orchestrator (API, functions, job workflows, storage, cleaner)");
        String account = System.getenv("CDK_DEFAULT_ACCOUNT");
        String region = System.getenv("CDK_DEFAULT_REGION");
        if (account != null && region != null) {
            props.env(Environment.builder().account(account).region(region).build());
        }
        ConveyorStack stack = new ConveyorStack(app, STACK_NAME, props.build(), options);
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return stack;
    }
}
