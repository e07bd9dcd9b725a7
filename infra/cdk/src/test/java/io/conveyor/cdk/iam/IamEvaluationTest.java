package io.conveyor.cdk.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** IAM's evaluation rules, on statements resolved from a template as the proof resolves them. */
class IamEvaluationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "arn:aws:dynamodb:eu-west-1:111122223333:table/jobs";

    /** One table and a role policy on it, in the shape CDK writes. */
    private final CfnValues values;

    IamEvaluationTest() throws IOException {
        values = new CfnValues(JSON.readTree("""
                {"Resources": {
                  "Jobs": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
                  "Bus": {"Type": "AWS::Events::EventBus", "Properties": {"Name": "jobs"}}}}"""),
                "111122223333", "eu-west-1", Map.of("Jobs", "jobs"));
    }

    private List<Statement> statements(String document) throws IOException {
        return Statement.ofDocument(JSON.readTree(document), values, "test");
    }

    private static boolean allowed(List<Statement> policy, String action, String resource, Map<String, String> keys) {
        return IamEvaluation.evaluate(policy, List.of(), action, resource, keys).allowed();
    }

    @Test
    void refAndGetAttAndJoinAndSub_resolveAgainstTheTemplatesResources() throws IOException {
        assertEquals("jobs", values.text(JSON.readTree("{\"Ref\": \"Jobs\"}")));
        assertEquals(TABLE + "/index/byOwner", values.text(JSON.readTree(
                "{\"Fn::Join\": [\"\", [{\"Fn::GetAtt\": [\"Jobs\", \"Arn\"]}, \"/index/byOwner\"]]}")));
        assertEquals("arn:aws:events:eu-west-1:111122223333:event-bus/jobs", values.text(JSON.readTree(
                "{\"Fn::Sub\": \"arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${Bus}\"}")));
        assertEquals("${Literal}", values.text(JSON.readTree("{\"Fn::Sub\": \"${!Literal}\"}")));
        assertThrows(IllegalArgumentException.class, () -> values.text(JSON.readTree("{\"Ref\": \"Missing\"}")));
    }

    @Test
    void aGrantOnTheTable_doesNotCoverItsIndex_andActionsIgnoreCase() throws IOException {
        List<Statement> policy = statements("""
                {"Statement": [{"Effect": "Allow", "Action": ["dynamodb:Query"], "Resource": {"Fn::GetAtt": ["Jobs", "Arn"]}}]}""");
        assertTrue(allowed(policy, "DynamoDB:query", TABLE, Map.of()));
        assertFalse(allowed(policy, "dynamodb:Query", TABLE + "/index/byOwner", Map.of()));
        assertFalse(allowed(policy, "dynamodb:Scan", TABLE, Map.of()), "implicitly denied");
    }

    @Test
    void anExplicitDeny_winsOverAnyAllow_andWildcardsMatchAcrossSlashes() throws IOException {
        List<Statement> policy = statements("""
                {"Statement": [
                  {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:*:111122223333:table/*"},
                  {"Effect": "Deny", "Action": "dynamodb:DeleteItem", "Resource": "*"}]}""");
        assertTrue(allowed(policy, "dynamodb:GetItem", TABLE + "/index/byOwner", Map.of()));
        IamEvaluation.Decision delete = IamEvaluation.evaluate(policy, List.of(), "dynamodb:DeleteItem", TABLE, Map.of());
        assertFalse(delete.allowed());
        assertTrue(delete.explicitlyDenied());
    }

    @Test
    void notActionAndNotResource_matchEverythingTheyDoNotName() throws IOException {
        List<Statement> policy = statements("""
                {"Statement": [{"Effect": "Allow", "NotAction": "dynamodb:Delete*", "NotResource": "arn:aws:s3:::*"}]}""");
        assertTrue(allowed(policy, "dynamodb:PutItem", TABLE, Map.of()));
        assertFalse(allowed(policy, "dynamodb:DeleteItem", TABLE, Map.of()));
        assertFalse(allowed(policy, "s3:GetObject", "arn:aws:s3:::bucket/key", Map.of()));
    }

    @Test
    void conditions_needTheKeyWithAMatchingValue_unlessIfExists_andABucketPolicysDenyApplies() throws IOException {
        List<Statement> policy = statements("""
                {"Statement": [{"Effect": "Allow", "Action": "events:PutEvents", "Resource": {"Fn::GetAtt": ["Bus", "Arn"]},
                  "Condition": {"StringEquals": {"events:source": "io.conveyor"}}}]}""");
        String bus = "arn:aws:events:eu-west-1:111122223333:event-bus/jobs";
        assertTrue(allowed(policy, "events:PutEvents", bus, Map.of("events:source", "io.conveyor")));
        assertFalse(allowed(policy, "events:PutEvents", bus, Map.of("events:source", "someone.else")));
        assertFalse(allowed(policy, "events:PutEvents", bus, Map.of()), "a missing key fails StringEquals");
        List<Statement> ifExists = statements("""
                {"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
                  "Condition": {"StringLikeIfExists": {"s3:prefix": "jobs/*"}}}]}""");
        assertTrue(allowed(ifExists, "s3:ListBucket", "arn:aws:s3:::b", Map.of()));
        assertFalse(allowed(ifExists, "s3:ListBucket", "arn:aws:s3:::b", Map.of("s3:prefix", "other/")));

        List<Statement> tlsOnly = statements("""
                {"Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
                  "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}""");
        List<Statement> role = statements("""
                {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}""");
        assertTrue(IamEvaluation.evaluate(role, tlsOnly, "s3:GetObject", "arn:aws:s3:::b/k", Map.of("aws:SecureTransport", "true")).allowed());
        assertTrue(IamEvaluation.evaluate(role, tlsOnly, "s3:GetObject", "arn:aws:s3:::b/k", Map.of("aws:SecureTransport", "false"))
                .explicitlyDenied());
    }

    @Test
    void anOperatorThisEvaluationDoesNotHave_isRefusedByName() throws IOException {
        List<Statement> policy = statements("""
                {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                  "Condition": {"ForAnyValue:StringLike": {"s3:prefix": "a*"}}}]}""");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> allowed(policy, "s3:GetObject", "arn:aws:s3:::b/k", Map.of("s3:prefix", "a")));
        assertTrue(refused.getMessage().contains("ForAnyValue:StringLike"), refused.getMessage());
    }
}
