package io.conveyor.local.runtime.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conveyor.aws.AwsHttpService;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** The IAM action and resource each kind of call is evaluated as. */
class IamActionsTest {
    private static final Arns ARNS = new Arns("eu-west-1", "111122223333");
    private static final String JOBS = "arn:aws:dynamodb:eu-west-1:111122223333:table/jobs";

    @Test
    void queryOnAnIndex_isEvaluatedOnTheIndexArn_notTheTable() {
        assertEquals(List.of(new IamCall("dynamodb:Query", JOBS + "/index/by-user", "DynamoDB.Query")),
                new DynamoDbActions(ARNS).of("Query", QueryRequest.builder().tableName("jobs").indexName("by-user").build()));
        assertEquals(List.of(new IamCall("dynamodb:Query", JOBS, "DynamoDB.Query")),
                new DynamoDbActions(ARNS).of("Query", QueryRequest.builder().tableName("jobs").build()));
    }

    @Test
    void transactWriteItems_isEachItemsOwnAction_onItsTable() {
        TransactWriteItemsRequest transaction = TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName("subjobs").build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName("jobs").build()).build(),
                TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName("counters").build()).build())
                .build();
        String call = "DynamoDB.TransactWriteItems";
        assertEquals(List.of(
                new IamCall("dynamodb:PutItem", "arn:aws:dynamodb:eu-west-1:111122223333:table/subjobs", call),
                new IamCall("dynamodb:UpdateItem", JOBS, call),
                new IamCall("dynamodb:ConditionCheckItem", "arn:aws:dynamodb:eu-west-1:111122223333:table/counters", call)),
                new DynamoDbActions(ARNS).of("TransactWriteItems", transaction));
    }

    @Test
    void s3Listing_isListBucketOnTheBucket_withItsPrefix_andMultipartParts_arePutObject() {
        S3Actions s3 = new S3Actions(ARNS);
        assertEquals(List.of(new IamCall("s3:ListBucket", "arn:aws:s3:::data", Map.of("s3:prefix", "jobs/1/"),
                        "S3.ListObjectsV2")),
                s3.of("ListObjectsV2", ListObjectsV2Request.builder().bucket("data").prefix("jobs/1/").build(), false));
        assertEquals(List.of(new IamCall("s3:PutObject", "arn:aws:s3:::data/jobs/1/input", "S3.UploadPart (presigned URL)")),
                s3.of("UploadPart", UploadPartRequest.builder().bucket("data").key("jobs/1/input").partNumber(2)
                        .uploadId("u").build(), true));
        assertEquals(List.of(new IamCall("s3:DeleteObject", "arn:aws:s3:::data/a", "S3.DeleteObjects"),
                        new IamCall("s3:DeleteObject", "arn:aws:s3:::data/b", "S3.DeleteObjects")),
                s3.of("DeleteObjects", DeleteObjectsRequest.builder().bucket("data").delete(Delete.builder().objects(
                        ObjectIdentifier.builder().key("a").build(), ObjectIdentifier.builder().key("b").build()).build())
                        .build(), false));
    }

    @Test
    void putEvents_isOnEachEntrysBus_withItsSource_andInvoke_isOnTheQualifiedFunction() {
        HttpServiceActions services = new HttpServiceActions(ARNS);
        byte[] events = """
                {"Entries":[{"EventBusName":"jobs","Source":"io.conveyor","DetailType":"JobStatusChanged","Detail":"{}"}]}"""
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(new IamCall("events:PutEvents", "arn:aws:events:eu-west-1:111122223333:event-bus/jobs",
                        Map.of("events:source", "io.conveyor", "events:detail-type", "JobStatusChanged"), "EventBridge.PutEvents")),
                services.of(AwsHttpService.Service.EVENT_BRIDGE, "/", Map.of("X-Amz-Target", "AWSEvents.PutEvents"), events));
        assertEquals(List.of(new IamCall("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:111122223333:function:worker:live",
                        "Lambda.Invoke")),
                services.of(AwsHttpService.Service.LAMBDA, "/2015-03-31/functions/worker%3Alive/invocations", Map.of(),
                        new byte[0]));
    }

    @Test
    void aCallTheRecorderDoesNotKnow_isRecordedAsUnmapped_soTheProofRefusesIt() {
        assertEquals(List.of(IamCall.unmapped("Sfn", "ListExecutions", "*")),
                new HttpServiceActions(ARNS).of(AwsHttpService.Service.STEP_FUNCTIONS, "/",
                        Map.of("X-Amz-Target", "AWSStepFunctions.ListExecutions"), "{}".getBytes(StandardCharsets.UTF_8)));
    }
}
