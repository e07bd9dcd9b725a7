package io.conveyor.dynamodb.internal.expression;

import static io.conveyor.dynamodb.internal.expression.Requests.HASH_AND_RANGE;
import static io.conveyor.dynamodb.internal.expression.Requests.json;
import static io.conveyor.dynamodb.internal.expression.Requests.parse;
import static io.conveyor.dynamodb.internal.expression.Requests.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.expression.SortCondition.Operator;
import org.junit.jupiter.api.Test;

class RequestExpressionsTest {

    private static KeyCondition keyCondition(String request) {
        return RequestExpressions.parse(json(request), HASH_AND_RANGE).keyCondition().orElseThrow();
    }

    private static String keyRefusal(String request) {
        return assertThrows(DynamoDbError.class, () -> keyCondition(request)).getMessage();
    }

    @Test
    void projection_keepsOnlyTheRequestedPathsNestedAsInTheItem() {
        Projection projection = parse("{'ProjectionExpression':'a.b, a.c[1], #l[2], absent',"
                + "'ExpressionAttributeNames':{'#l':'l'}}").projection().orElseThrow();
        assertEquals(json("{'a':{'M':{'b':{'N':'1'},'c':{'L':[{'S':'y'}]}}}}"), projection.project(json(
                "{'a':{'M':{'b':{'N':'1'},'c':{'L':[{'S':'x'},{'S':'y'}]},'d':{'N':'4'}}},'l':{'L':[{'N':'0'}]}}")));
        assertTrue(refusal("{'ProjectionExpression':'a.b, a[1]'}").contains("Two document paths conflict"));
        assertTrue(refusal("{'ProjectionExpression':'a,a'}").contains("Two document paths overlap"));
        assertTrue(refusal("{'ProjectionExpression':'a,'}").contains("Syntax error"));
    }

    @Test
    void placeholders_mustBeDefinedUsedAndOnlyComeWithExpressions() {
        assertEquals("Value provided in ExpressionAttributeNames unused in expressions: keys: {#count}",
                refusal("{'ProjectionExpression':'pk','ExpressionAttributeNames':{'#count':'count'}}"));
        assertEquals("Value provided in ExpressionAttributeValues unused in expressions: keys: {:qq}",
                refusal("{'ConditionExpression':'a = :v','ExpressionAttributeValues':{':v':{'N':'1'},':qq':{'N':'3'}}}"));
        assertEquals("ExpressionAttributeNames can only be specified when using expressions",
                refusal("{'ExpressionAttributeNames':{'#a':'a'}}"));
        assertEquals("ExpressionAttributeValues must not be empty",
                refusal("{'UpdateExpression':'SET a = b','ExpressionAttributeValues':{}}"));
        assertEquals("ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a "
                + "numeric value: NaN for key :v",
                refusal("{'ConditionExpression':'a = :v','ExpressionAttributeValues':{':v':{'N':'NaN'}}}"));
    }

    @Test
    void expressionsAndLegacyParameters_doNotMix() {
        assertEquals("Can not use both expression and non-expression parameters in the same request: "
                + "Non-expression parameters: {AttributeUpdates} Expression parameters: {ConditionExpression}",
                refusal("{'ConditionExpression':'attribute_exists(a)','AttributeUpdates':{}}"));
    }

    @Test
    void legacyExpected_andFilters_becomeConditions() {
        Condition expected = parse("{'Expected':{'a':{'Value':{'N':'1'}},'b':{'Exists':false},"
                + "'c':{'ComparisonOperator':'BEGINS_WITH','AttributeValueList':[{'S':'he'}]}}}").condition().orElseThrow();
        assertTrue(expected.test(json("{'a':{'N':'1.0'},'c':{'S':'hello'}}")));
        assertFalse(expected.test(json("{'a':{'N':'1'},'b':{'N':'1'},'c':{'S':'hello'}}")));
        Condition either = parse("{'ScanFilter':{'a':{'ComparisonOperator':'NULL'},"
                + "'b':{'ComparisonOperator':'GT','AttributeValueList':[{'N':'3'}]}},'ConditionalOperator':'OR'}")
                .filter().orElseThrow();
        assertTrue(either.test(json("{'b':{'N':'1'}}")));
        assertFalse(either.test(json("{'a':{'N':'1'},'b':{'N':'1'}}")));
        assertEquals("One or more parameter values were invalid: Invalid number of argument(s) for the EQ "
                + "ComparisonOperator", refusal("{'Expected':{'a':{'ComparisonOperator':'EQ'}}}"));
    }

    @Test
    void legacyOperators_haveAwssQuirks() {
        // NOT_CONTAINS, unlike NE, is false for a missing attribute.
        Condition notContains = parse("{'Expected':{'a':{'ComparisonOperator':'NOT_CONTAINS',"
                + "'AttributeValueList':[{'S':'x'}]}}}").condition().orElseThrow();
        assertFalse(notContains.test(json("{}")));
        assertTrue(notContains.test(json("{'a':{'S':'abc'}}")));
        Condition notEqual = parse("{'Expected':{'a':{'ComparisonOperator':'NE','AttributeValueList':[{'S':'x'}]}}}")
                .condition().orElseThrow();
        assertTrue(notEqual.test(json("{}")));
        assertTrue(refusal("{'QueryFilter':{'a':{'ComparisonOperator':'IN','AttributeValueList':[{'S':'x'},{'N':'1'}]}}}")
                .contains("same type"));
        assertTrue(refusal("{'Expected':{'a':{'Exists':true}}}").contains("Value must be provided when Exists is true"));
        assertTrue(parse("{'QueryFilter':{}}").filter().isEmpty());
    }

    @Test
    void queryFilters_mayNotUseKeyAttributes() {
        assertEquals("QueryFilter can only contain non-primary key attributes: Primary key attribute: c",
                keyRefusal("{'KeyConditions':{'p':{'ComparisonOperator':'EQ','AttributeValueList':[{'S':'x'}]}},"
                        + "'QueryFilter':{'c':{'ComparisonOperator':'EQ','AttributeValueList':[{'N':'3'}]}}}"));
    }

    @Test
    void keyConditions_needEqualityOnThePartitionKeyAndAtMostOneSortCondition() {
        KeyCondition between = keyCondition("{'KeyConditionExpression':'p = :p AND c BETWEEN :a AND :b',"
                + "'ExpressionAttributeValues':{':p':{'S':'x'},':a':{'N':'1'},':b':{'N':'5'}}}");
        assertEquals("p", between.hashKey());
        assertEquals(json("{'S':'x'}"), between.hashValue());
        SortCondition sort = between.sort().orElseThrow();
        assertEquals(Operator.BETWEEN, sort.op());
        assertTrue(sort.matches(json("{'N':'5'}")));
        assertFalse(sort.matches(json("{'N':'5.5'}")));
        KeyCondition reversed = keyCondition("{'KeyConditionExpression':':c > c AND p = :p',"
                + "'ExpressionAttributeValues':{':p':{'S':'x'},':c':{'N':'3'}}}");
        assertEquals(Operator.LT, reversed.sort().orElseThrow().op());
        KeyCondition legacy = keyCondition("{'KeyConditions':{'p':{'ComparisonOperator':'EQ',"
                + "'AttributeValueList':[{'S':'x'}]}}}");
        assertTrue(legacy.sort().isEmpty());
    }

    @Test
    void keyConditions_refuseWhatAwsRefuses() {
        assertEquals("Query condition missed key schema element: p", keyRefusal(
                "{'KeyConditionExpression':'c = :c','ExpressionAttributeValues':{':c':{'N':'3'}}}"));
        assertEquals("Query key condition not supported", keyRefusal(
                "{'KeyConditionExpression':'p < :p','ExpressionAttributeValues':{':p':{'S':'x'}}}"));
        assertTrue(keyRefusal("{'KeyConditionExpression':'p = :p AND p = :p',"
                + "'ExpressionAttributeValues':{':p':{'S':'x'}}}").contains("one condition per key"));
        assertTrue(keyRefusal("{'KeyConditionExpression':'p = :p AND c.d < :c',"
                + "'ExpressionAttributeValues':{':p':{'S':'x'},':c':{'N':'3'}}}").contains("nested"));
        assertEquals("One or more parameter values were invalid: Condition parameter type does not match schema type",
                keyRefusal("{'KeyConditionExpression':'p = :p AND c = :c',"
                        + "'ExpressionAttributeValues':{':p':{'S':'x'},':c':{'S':'3'}}}"));
        assertEquals("Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR",
                keyRefusal("{'KeyConditionExpression':'p = :p OR c = :c',"
                        + "'ExpressionAttributeValues':{':p':{'S':'x'},':c':{'N':'3'}}}"));
        assertEquals("Filter Expression can only contain non-primary key attributes: Primary key attribute: c",
                keyRefusal("{'KeyConditionExpression':'p = :p','FilterExpression':'i = c',"
                        + "'ExpressionAttributeValues':{':p':{'S':'x'}}}"));
    }
}
