package io.conveyor.cdk;

import static io.conveyor.cdk.Synthesized.list;
import static io.conveyor.cdk.Synthesized.referenced;
import static io.conveyor.cdk.Synthesized.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.config.ConfigurationException;
import io.conveyor.deployment.Catalogue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code conveyor:dashboard=true}: the web dashboard's private bucket behind CloudFront, the Cognito user pool whose
 * tokens the API then accepts, and CORS for the dashboard's origin only.
 */
class DashboardStackTest {
    private final Synthesized app = Synthesized.with(Synthesized.DASHBOARD);

    private Map.Entry<String, JsonNode> distribution() {
        return app.resourceAt("AWS::CloudFront::Distribution", "/Dashboard/Distribution/Resource");
    }

    /** {@code Fn::Join(https://, GetAtt(distribution.DomainName))}: the dashboard's origin, as the template writes it. */
    private String origin() {
        return "https://GetAtt(" + distribution().getKey() + ".DomainName)";
    }

    @Test
    void theFiles_areInAPrivateBucket_thatOnlyThisDistributionReads() {
        Map.Entry<String, JsonNode> site = app.resourceAt("AWS::S3::Bucket", "/Dashboard/SiteBucket/Resource");
        JsonNode block = site.getValue().at("/Properties/PublicAccessBlockConfiguration");
        for (String setting : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertTrue(block.path(setting).asBoolean(), setting);
        }
        JsonNode policy = app.resources("AWS::S3::BucketPolicy").values().stream()
                .filter(p -> site.getKey().equals(referenced(p.at("/Properties/Bucket")))).findFirst().orElseThrow();
        JsonNode read = list(policy.at("/Properties/PolicyDocument/Statement")).stream()
                .filter(s -> s.path("Principal").path("Service").asText().equals("cloudfront.amazonaws.com")).findFirst()
                .orElseThrow(() -> new AssertionError("CloudFront may read the files: " + policy));
        assertEquals("s3:GetObject", read.path("Action").asText());
        assertEquals("Allow", read.path("Effect").asText());
        assertTrue(text(read.at("/Condition/StringEquals/AWS:SourceArn")).contains(distribution().getKey()),
                "only this distribution: " + read);

        JsonNode config = distribution().getValue().at("/Properties/DistributionConfig");
        assertEquals("index.html", config.path("DefaultRootObject").asText());
        assertEquals("redirect-to-https", config.at("/DefaultCacheBehavior/ViewerProtocolPolicy").asText());
        JsonNode origin = config.path("Origins").get(0);
        assertFalse(referenced(origin.path("OriginAccessControlId")).isEmpty(), "origin access control, not a public website");
        assertEquals("", origin.at("/S3OriginConfig/OriginAccessIdentity").asText(), "no legacy origin access identity");
    }

    @Test
    void everyAnswer_carriesAContentSecurityPolicy_andSecurityHeaders() {
        JsonNode headers = app.resources("AWS::CloudFront::ResponseHeadersPolicy").values().iterator().next()
                .at("/Properties/ResponseHeadersPolicyConfig/SecurityHeadersConfig");
        String csp = text(headers.at("/ContentSecurityPolicy/ContentSecurityPolicy"));
        for (String directive : List.of("default-src 'none'", "script-src 'self';", "style-src 'self';", "frame-ancestors 'none'",
                "base-uri 'none'", "https://*.execute-api.Ref(AWS::Region).amazonaws.com")) {
            assertTrue(csp.contains(directive), directive + " in " + csp);
        }
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
        assertEquals("DENY", headers.at("/FrameOptions/FrameOption").asText());
        assertEquals("no-referrer", headers.at("/ReferrerPolicy/ReferrerPolicy").asText());
        assertTrue(headers.at("/StrictTransportSecurity/AccessControlMaxAgeSec").asInt() >= 31_536_000);
        assertTrue(headers.at("/ContentTypeOptions/Override").asBoolean());
    }

    @Test
    void theUserPool_hasNoSelfSignUp_requiresASecondFactor_andItsClientIsAPublicCodeFlowClientReturningToTheDashboard() {
        JsonNode pool = app.resourceAt("AWS::Cognito::UserPool", "/Dashboard/Users/Resource").getValue().get("Properties");
        assertTrue(pool.at("/AdminCreateUserConfig/AllowAdminCreateUserOnly").asBoolean());
        assertEquals("ON", pool.path("MfaConfiguration").asText());
        assertTrue(pool.at("/Policies/PasswordPolicy/MinimumLength").asInt() >= 12);

        JsonNode client = app.resources("AWS::Cognito::UserPoolClient").values().iterator().next().get("Properties");
        assertFalse(client.path("GenerateSecret").asBoolean(), "a page cannot keep a secret");
        assertEquals(List.of("code"), list(client.get("AllowedOAuthFlows")).stream().map(JsonNode::asText).toList(),
                "the authorisation code flow (with PKCE), never the implicit flow");
        assertTrue(client.path("AllowedOAuthFlowsUserPoolClient").asBoolean());
        assertEquals(List.of("ALLOW_REFRESH_TOKEN_AUTH"), list(client.get("ExplicitAuthFlows")).stream().map(JsonNode::asText).toList(),
                "no password flow outside the hosted sign-in");
        assertEquals(List.of(origin() + "/"), list(client.get("CallbackURLs")).stream().map(Synthesized::text).toList());
        assertEquals(1, app.resources("AWS::Cognito::UserPoolDomain").size(), "the hosted sign-in's domain");
    }

    @Test
    void everyApiMethod_acceptsTheDashboardsUserPoolTokens() {
        String pool = app.resourceAt("AWS::Cognito::UserPool", "/Dashboard/Users/Resource").getKey();
        Map<String, JsonNode> authorizers = app.resources("AWS::ApiGateway::Authorizer");
        assertEquals(1, authorizers.size());
        Map.Entry<String, JsonNode> authorizer = authorizers.entrySet().iterator().next();
        assertEquals("COGNITO_USER_POOLS", authorizer.getValue().at("/Properties/Type").asText());
        assertEquals(pool, referenced(authorizer.getValue().at("/Properties/ProviderARNs").get(0)));
        int routes = 0;
        for (Map.Entry<String, JsonNode> method : app.resources("AWS::ApiGateway::Method").entrySet()) {
            JsonNode properties = method.getValue().get("Properties");
            if (properties.path("HttpMethod").asText().equals("OPTIONS")) {
                continue; // preflights carry no credentials, by the CORS protocol
            }
            routes++;
            assertEquals("COGNITO_USER_POOLS", properties.path("AuthorizationType").asText(), method.getKey());
            assertEquals(authorizer.getKey(), referenced(properties.path("AuthorizerId")), method.getKey());
        }
        assertEquals(Catalogue.ROUTES.size(), routes);
    }

    @Test
    void cors_allowsTheDashboardsOriginAlone_onTheApiItsFunctionAndTheJobsBucket() {
        List<JsonNode> preflights = app.resources("AWS::ApiGateway::Method").values().stream()
                .filter(m -> m.at("/Properties/HttpMethod").asText().equals("OPTIONS")).toList();
        assertFalse(preflights.isEmpty());
        for (JsonNode preflight : preflights) {
            JsonNode response = preflight.at("/Properties/Integration/IntegrationResponses").get(0);
            assertEquals("'" + origin() + "'", text(response.at("/ResponseParameters/method.response.header.Access-Control-Allow-Origin")));
        }
        for (JsonNode response : app.resources("AWS::ApiGateway::GatewayResponse").values()) {
            assertEquals("'" + origin() + "'", text(response.at("/Properties/ResponseParameters/gatewayresponse.header.Access-Control-Allow-Origin")));
        }
        JsonNode api = app.resourceAt("AWS::Lambda::Function", "/Functions/" + Catalogue.API.name() + "/Resource").getValue();
        assertEquals(origin(), text(api.at("/Properties/Environment/Variables/CONVEYOR_BROWSER_ORIGIN")));
        JsonNode worker = app.resourceAt("AWS::Lambda::Function", "/Functions/" + Catalogue.RUN_SUBJOB.name() + "/Resource").getValue();
        assertTrue(worker.at("/Properties/Environment/Variables/CONVEYOR_BROWSER_ORIGIN").isMissingNode(), "only the API answers pages");

        JsonNode rules = app.resourceAt("AWS::S3::Bucket", "/Storage/JobsBucket/Resource").getValue()
                .at("/Properties/CorsConfiguration/CorsRules");
        assertEquals(1, rules.size());
        assertEquals(List.of(origin()), list(rules.get(0).get("AllowedOrigins")).stream().map(Synthesized::text).toList());
    }

    @Test
    void theFilesAndTheirConfig_areDeployedWithTheStack_andTheCacheInvalidated() {
        JsonNode deployment = app.resources("Custom::CDKBucketDeployment").values().iterator().next().get("Properties");
        assertEquals(app.resourceAt("AWS::S3::Bucket", "/Dashboard/SiteBucket/Resource").getKey(),
                referenced(deployment.get("DestinationBucketName")));
        assertEquals(2, deployment.get("SourceObjectKeys").size(), "the built files and config.json");
        assertEquals(distribution().getKey(), referenced(deployment.get("DistributionId")));
        assertEquals(List.of("/*"), list(deployment.get("DistributionPaths")).stream().map(JsonNode::asText).toList());
        String config = deployment.get("SourceMarkersConfig").toString() + deployment.get("SourceMarkers").toString();
        assertTrue(config.contains("UserPoolClient") || config.contains("Client"), "config.json names the pool's client: " + config);
    }

    @Test
    void withoutTheOption_thereIsNoDashboard_noUserPool_andNoCors() {
        Synthesized defaults = Synthesized.defaults();
        for (String type : List.of("AWS::CloudFront::Distribution", "AWS::Cognito::UserPool", "Custom::CDKBucketDeployment")) {
            assertTrue(defaults.resources(type).isEmpty(), type);
        }
        assertTrue(defaults.resources("AWS::ApiGateway::Method").values().stream()
                .noneMatch(m -> m.at("/Properties/HttpMethod").asText().equals("OPTIONS")));
    }

    @Test
    void theOption_needsCognitoAuth_andItsOwnPool() {
        ConfigurationException iam = assertThrows(ConfigurationException.class,
                () -> DeploymentOptions.from(Map.<String, Object>of("conveyor:dashboard", "true")::get));
        assertTrue(iam.problems().toString().contains("conveyor:auth=cognito"), iam.problems().toString());
        Map<String, Object> twoPools = Map.of("conveyor:dashboard", "true", "conveyor:auth", "cognito",
                "conveyor:userPoolArn", "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Example");
        ConfigurationException pool = assertThrows(ConfigurationException.class, () -> DeploymentOptions.from(twoPools::get));
        assertTrue(pool.problems().toString().contains("leave conveyor:userPoolArn unset"), pool.problems().toString());
    }
}
