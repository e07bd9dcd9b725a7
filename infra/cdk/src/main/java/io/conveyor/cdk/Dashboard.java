package io.conveyor.cdk;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.HeadersFrameOption;
import software.amazon.awscdk.services.cloudfront.HeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentSecurityPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentTypeOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersFrameOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersStrictTransportSecurity;
import software.amazon.awscdk.services.cloudfront.ResponseSecurityHeadersBehavior;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.CfnUserPoolClient;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientIdentityProvider;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolDomain;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;

/**
 * The web dashboard on AWS ({@code conveyor:dashboard=true}): its static files in a private bucket that only
 * CloudFront reads (origin access control), served over HTTPS with a Content-Security-Policy; a Cognito user pool
 * with the hosted sign-in, whose public client (no secret) uses the authorisation code flow with PKCE and returns to
 * the distribution only; the API's authoriser trusts this pool ({@link JobApi}) and its CORS allows the distribution's
 * origin alone. People are added by an administrator (no self sign-up), with a second factor.
 *
 * <p>Built in two steps because the API needs the origin and the pool, and the page's {@code config.json} needs the
 * API's URL: the constructor makes the pool and the distribution, {@link #publish} uploads the files afterwards.
 */
public final class Dashboard extends Construct {
    private final UserPool users;
    private final UserPoolDomain signIn;
    private final UserPoolClient client;
    private final Bucket site;
    private final Distribution distribution;

    /** @param accessLogs the stack's bucket for S3 server access logs */
    public Dashboard(Construct scope, String id, DeploymentOptions options, IBucket accessLogs) {
        super(scope, id);
        RemovalPolicy removal = options.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        users = UserPool.Builder.create(this, "Users")
                .userPoolName("conveyor-dashboard")
                .selfSignUpEnabled(false)
                .signInAliases(SignInAliases.builder().email(true).build())
                .mfa(Mfa.REQUIRED)
                .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
                .passwordPolicy(PasswordPolicy.builder()
                        .minLength(12).requireDigits(true).requireLowercase(true).requireUppercase(true).requireSymbols(true)
                        .tempPasswordValidity(Duration.days(3))
                        .build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                .deletionProtection(options.retainData())
                .removalPolicy(removal)
                .build();
        // Cognito's own domain for the hosted sign-in; prefixes are unique per region, so the account id is in it.
        signIn = users.addDomain("SignIn", UserPoolDomainOptions.builder()
                .cognitoDomain(CognitoDomainOptions.builder().domainPrefix("conveyor-" + Aws.ACCOUNT_ID).build())
                .build());

        site = Bucket.Builder.create(this, "SiteBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("dashboard-bucket/")
                // The files are the build's, deployed again by every stack update: nothing to keep.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();

        ResponseHeadersPolicy headers = ResponseHeadersPolicy.Builder.create(this, "SecurityHeaders")
                .comment("Conveyor dashboard: CSP and security headers")
                .securityHeadersBehavior(ResponseSecurityHeadersBehavior.builder()
                        .contentSecurityPolicy(ResponseHeadersContentSecurityPolicy.builder()
                                .contentSecurityPolicy(contentSecurityPolicy(signIn.baseUrl()))
                                .override(true).build())
                        .contentTypeOptions(ResponseHeadersContentTypeOptions.builder().override(true).build())
                        .frameOptions(ResponseHeadersFrameOptions.builder().frameOption(HeadersFrameOption.DENY).override(true).build())
                        .referrerPolicy(ResponseHeadersReferrerPolicy.builder().referrerPolicy(HeadersReferrerPolicy.NO_REFERRER)
                                .override(true).build())
                        .strictTransportSecurity(ResponseHeadersStrictTransportSecurity.builder()
                                .accessControlMaxAge(Duration.days(365)).includeSubdomains(true).override(true).build())
                        .build())
                .build();
        distribution = Distribution.Builder.create(this, "Distribution")
                .comment("Conveyor dashboard")
                .defaultBehavior(BehaviorOptions.builder()
                        .origin(S3BucketOrigin.withOriginAccessControl(site))
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        .cachePolicy(CachePolicy.CACHING_OPTIMIZED)
                        .responseHeadersPolicy(headers)
                        .build())
                .defaultRootObject("index.html")
                .httpVersion(HttpVersion.HTTP2_AND_3)
                .priceClass(PriceClass.PRICE_CLASS_100)
                .build();

        client = users.addClient("Client", UserPoolClientOptions.builder()
                .userPoolClientName("conveyor-dashboard")
                // A page cannot keep a secret: a public client, the code flow with PKCE, and no password flows (below).
                .generateSecret(false)
                .oAuth(OAuthSettings.builder()
                        .flows(OAuthFlows.builder().authorizationCodeGrant(true).implicitCodeGrant(false).build())
                        .scopes(List.of(OAuthScope.OPENID, OAuthScope.EMAIL))
                        .callbackUrls(List.of(origin() + "/"))
                        .logoutUrls(List.of(origin() + "/"))
                        .build())
                .supportedIdentityProviders(List.of(UserPoolClientIdentityProvider.COGNITO))
                .preventUserExistenceErrors(true)
                .idTokenValidity(Duration.hours(1))
                .accessTokenValidity(Duration.hours(1))
                .refreshTokenValidity(Duration.hours(12))
                .build());
        // Refresh only: left out, Cognito would also allow SRP and custom sign-in around the hosted page, and CDK's
        // AuthFlow cannot name refresh alone.
        ((CfnUserPoolClient) client.getNode().getDefaultChild()).setExplicitAuthFlows(List.of("ALLOW_REFRESH_TOKEN_AUTH"));
    }

    /**
     * What the page may load and call: its own files, the job API, S3 for uploads to presigned URLs, and Cognito's
     * token endpoint. Nothing inline, nothing framed, no other site. The API and the bucket are named by their
     * region's domains, not by their own names: the API's preflight and the bucket's CORS rule name the distribution,
     * so the distribution's policy naming them back would be a dependency cycle.
     */
    static String contentSecurityPolicy(String signInUrl) {
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' "
                + "https://*.execute-api." + Aws.REGION + ".amazonaws.com https://*.s3." + Aws.REGION + ".amazonaws.com "
                + signInUrl + "; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    }

    /** The files and their {@code config.json} (the API's URL, the pool's sign-in), uploaded with every deployment. */
    public void publish(DeploymentOptions options, JobApi api) {
        if (!Files.isRegularFile(options.dashboardFiles().resolve("index.html"))) {
            throw new IllegalStateException("The dashboard's files are not at " + options.dashboardFiles().toAbsolutePath()
                    + ": build them first (mvn -pl dashboard package) or point " + DeploymentOptions.Option.DASHBOARD_FILES.key()
                    + " at them");
        }
        BucketDeployment.Builder.create(this, "Files")
                .destinationBucket(site)
                .sources(List.of(
                        Source.asset(options.dashboardFiles().toString()),
                        // The stage URL ends with a slash, which the page drops (config.ts).
                        Source.jsonData("config.json", Map.of(
                                "api", api.api().getUrl(),
                                "auth", Map.of("mode", "cognito", "domain", signIn.baseUrl(),
                                        "clientId", client.getUserPoolClientId())))))
                .distribution(distribution)
                .distributionPaths(List.of("/*"))
                .retainOnDelete(false)
                .memoryLimit(256)
                .build();
    }

    /** The dashboard's origin, {@code https://<distribution domain>}: the one CORS allows on the API and the bucket. */
    public String origin() {
        return "https://" + distribution.getDistributionDomainName();
    }

    public UserPool users() {
        return users;
    }

    public UserPoolClient client() {
        return client;
    }

    public UserPoolDomain signIn() {
        return signIn;
    }

    public Bucket site() {
        return site;
    }

    public Distribution distribution() {
        return distribution;
    }
}
