package io.conveyor.cdk.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The policies of a template, resolved: each role's identity statements (its inline policies and every
 * {@code AWS::IAM::Policy} attached to it) and each bucket's policy statements. A bucket policy's Deny is applied to
 * every caller whatever its Principal: stricter than IAM when a Deny names principals, never laxer.
 */
public final class RolePolicies {
    private final Map<String, List<Statement>> byRole = new LinkedHashMap<>();
    private final Map<String, List<Statement>> byBucketArn = new LinkedHashMap<>();
    /** Roles with managed policies, whose documents the template does not hold. */
    private final Set<String> withManagedPolicies = new HashSet<>();

    public RolePolicies(JsonNode template, CfnValues values) {
        JsonNode resources = template.get("Resources");
        for (String role : values.ofType("AWS::IAM::Role")) {
            JsonNode properties = resources.get(role).path("Properties");
            List<Statement> statements = new ArrayList<>();
            for (JsonNode inline : properties.path("Policies")) {
                statements.addAll(Statement.ofDocument(inline.get("PolicyDocument"), values, role + " inline policy"));
            }
            if (properties.has("ManagedPolicyArns")) {
                withManagedPolicies.add(role);
            }
            byRole.put(role, statements);
        }
        for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
            for (String policy : values.ofType(type)) {
                JsonNode properties = resources.get(policy).path("Properties");
                List<Statement> statements = Statement.ofDocument(properties.get("PolicyDocument"), values, policy);
                for (JsonNode role : properties.path("Roles")) {
                    String id = role.path("Ref").asText();
                    byRole.computeIfAbsent(id, r -> {
                        throw new IllegalArgumentException(policy + " is attached to " + role + ", not a role of the template");
                    }).addAll(statements);
                }
            }
        }
        for (String policy : values.ofType("AWS::S3::BucketPolicy")) {
            JsonNode properties = resources.get(policy).path("Properties");
            String bucketArn = "arn:aws:s3:::" + values.text(properties.get("Bucket"));
            byBucketArn.put(bucketArn, Statement.ofDocument(properties.get("PolicyDocument"), values, policy));
        }
    }

    /**
     * The identity statements of a role.
     *
     * @throws IllegalStateException when the role has managed policies, whose statements the template does not hold
     */
    public List<Statement> role(String roleId) {
        List<Statement> statements = byRole.get(roleId);
        if (statements == null) {
            throw new IllegalArgumentException("the template has no role " + roleId);
        }
        if (withManagedPolicies.contains(roleId)) {
            throw new IllegalStateException("role " + roleId + " has managed policies, which the template does not hold");
        }
        return statements;
    }

    /** The Deny statements of the policy of the bucket {@code resourceArn} is (in), if it has one. */
    public List<Statement> resourceDenies(String resourceArn) {
        for (Map.Entry<String, List<Statement>> bucket : byBucketArn.entrySet()) {
            if (resourceArn.equals(bucket.getKey()) || resourceArn.startsWith(bucket.getKey() + "/")) {
                return bucket.getValue().stream().filter(s -> !s.allow()).toList();
            }
        }
        return List.of();
    }
}
