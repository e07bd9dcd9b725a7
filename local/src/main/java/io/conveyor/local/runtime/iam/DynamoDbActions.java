package io.conveyor.local.runtime.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * How IAM authorises a DynamoDB call. A single-table operation is the action of its name on the table, or on the
 * index a Query or Scan names ({@code table/<t>/index/<i>}, an ARN of its own that a grant on the table does not
 * cover); a batch is its action on each table it touches; a transaction has no action of its own: each of its items is
 * authorised as the single-item action it performs ({@code ConditionCheckItem} for a condition check).
 */
final class DynamoDbActions {
    private static final String SERVICE = "DynamoDB";

    private final Arns arns;

    DynamoDbActions(Arns arns) {
        this.arns = arns;
    }

    List<IamCall> of(String operation, SdkRequest request) {
        String call = SERVICE + "." + operation;
        List<IamCall> calls = new ArrayList<>();
        if (request instanceof TransactWriteItemsRequest transaction) {
            for (TransactWriteItem item : transaction.transactItems()) {
                if (item.put() != null) {
                    calls.add(new IamCall("dynamodb:PutItem", arns.table(item.put().tableName()), call));
                } else if (item.update() != null) {
                    calls.add(new IamCall("dynamodb:UpdateItem", arns.table(item.update().tableName()), call));
                } else if (item.delete() != null) {
                    calls.add(new IamCall("dynamodb:DeleteItem", arns.table(item.delete().tableName()), call));
                } else if (item.conditionCheck() != null) {
                    calls.add(new IamCall("dynamodb:ConditionCheckItem", arns.table(item.conditionCheck().tableName()), call));
                }
            }
        } else if (request instanceof TransactGetItemsRequest transaction) {
            for (TransactGetItem item : transaction.transactItems()) {
                calls.add(new IamCall("dynamodb:GetItem", arns.table(item.get().tableName()), call));
            }
        } else if (request instanceof BatchGetItemRequest batch) {
            batch.requestItems().keySet().forEach(table -> calls.add(new IamCall("dynamodb:BatchGetItem", arns.table(table), call)));
        } else if (request instanceof BatchWriteItemRequest batch) {
            batch.requestItems().keySet().forEach(table -> calls.add(new IamCall("dynamodb:BatchWriteItem", arns.table(table), call)));
        } else {
            Optional<String> table = request.getValueForField("TableName", String.class);
            if (table.isEmpty()) {
                calls.add(IamCall.unmapped(SERVICE, operation, "*"));
            } else {
                Optional<String> index = request.getValueForField("IndexName", String.class);
                calls.add(new IamCall("dynamodb:" + operation,
                        index.map(i -> arns.index(table.get(), i)).orElseGet(() -> arns.table(table.get())), call));
            }
        }
        return calls;
    }
}
