package io.conveyor.dynamodb.internal.expression;

import static io.conveyor.dynamodb.internal.expression.Requests.json;
import static io.conveyor.dynamodb.internal.expression.Requests.parse;
import static io.conveyor.dynamodb.internal.expression.Requests.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.DynamoDbError;
import org.junit.jupiter.api.Test;

class UpdateExpressionTest {

    private static Update update(String expression, String values) {
        return parse("{'UpdateExpression':'" + expression + "'"
                + (values.isEmpty() ? "" : ",'ExpressionAttributeValues':{" + values + "}") + "}").update().orElseThrow();
    }

    private static ObjectNode applied(String expression, String values, String item) {
        return update(expression, values).apply(json(item));
    }

    private static String failure(String expression, String values, String item) {
        Update update = update(expression, values);
        return assertThrows(DynamoDbError.class, () -> update.apply(json(item))).getMessage();
    }

    @Test
    void set_computesEveryValueFromTheItemAsItWasBefore() {
        assertEquals(json("{'a':{'N':'2'},'b':{'N':'1'}}"),
                applied("SET a = b + :one, b = :one", "':one':{'N':'1'}", "{'b':{'N':'1'}}"));
        assertEquals("The provided expression refers to an attribute that does not exist in the item",
                failure("SET x = :v, y = x", "':v':{'N':'4'}", "{}"));
    }

    @Test
    void set_functionsAndArithmetic() {
        assertEquals(json("{'b':{'N':'5'}}"),
                applied("SET b = if_not_exists(b, :two) + :three", "':two':{'N':'2'},':three':{'N':'3'}", "{}"));
        assertEquals(json("{'a':{'L':[{'S':'x'},{'S':'y'}]}}"),
                applied("SET a = list_append(a, :y)", "':y':{'L':[{'S':'y'}]}", "{'a':{'L':[{'S':'x'}]}}"));
        assertEquals("An operand in the update expression has an incorrect data type",
                failure("SET a = a + :one", "':one':{'N':'1'}", "{'a':{'S':'x'}}"));
        assertEquals("An operand in the update expression has an incorrect data type",
                failure("SET a = list_append(a, :y)", "':y':{'L':[]}", "{'a':{'NS':['1']}}"));
    }

    @Test
    void set_refusesConditionFunctionsAndPathsDeeperThan32() {
        assertEquals("Invalid UpdateExpression: The function is not allowed in an update expression; function: size",
                refusal("{'UpdateExpression':'SET a = size(b)'}"));
        String deep = "a" + ".b".repeat(32);
        assertEquals("Invalid UpdateExpression: The document path has too many nesting levels; nesting levels: 33",
                refusal("{'UpdateExpression':'REMOVE " + deep + "'}"));
    }

    @Test
    void set_ofNestedPaths_needsTheParentAndAppendsPastTheEndOfAList() {
        assertEquals(json("{'a':{'L':[{'N':'1'},{'N':'9'}]}}"),
                applied("SET a[10] = :v", "':v':{'N':'9'}", "{'a':{'L':[{'N':'1'}]}}"));
        assertEquals(json("{'a':{'M':{'b':{'M':{'c':{'N':'9'}}}}}}"),
                applied("SET a.b.c = :v", "':v':{'N':'9'}", "{'a':{'M':{'b':{'M':{}}}}}"));
        assertEquals("The document path provided in the update expression is invalid for update",
                failure("SET a.b.c = :v", "':v':{'N':'9'}", "{'a':{'M':{}}}"));
        assertEquals("The document path provided in the update expression is invalid for update",
                failure("SET a[0] = :v", "':v':{'N':'9'}", "{'a':{'M':{}}}"));
    }

    @Test
    void set_appendsElementsPastTheEndOfAListInIndexOrder() {
        assertEquals(json("{'a':{'L':[{'S':'x'},{'S':'a3'},{'S':'a2'},{'S':'a1'}]}}"),
                applied("SET a[84] = :v1, a[37] = :v2, a[17] = :v3", "':v1':{'S':'a1'},':v2':{'S':'a2'},':v3':{'S':'a3'}",
                        "{'a':{'L':[{'S':'x'}]}}"));
        assertEquals(json("{'a':{'L':[{'N':'2'},{'N':'4'},{'N':'17'},{'N':'6'}]}}"),
                applied("REMOVE a[1] SET a[3] = :v", "':v':{'N':'17'}",
                        "{'a':{'L':[{'N':'2'},{'N':'3'},{'N':'4'},{'N':'5'},{'N':'6'}]}}"));
    }

    @Test
    void remove_throughAMissingOrMistypedParentIsRefused() {
        assertEquals("The document path provided in the update expression is invalid for update",
                failure("REMOVE a.c", "", "{'a':{'S':'hello'}}"));
        assertEquals("The document path provided in the update expression is invalid for update",
                failure("REMOVE c[0]", "", "{}"));
        assertEquals(json("{'a':{'M':{}}}"), applied("REMOVE a.b", "", "{'a':{'M':{'b':{'N':'1'}}}}"));
    }

    @Test
    void set_copiesValuesSoLaterChangesDoNotShowThroughTwice() {
        assertEquals(json("{'a':{'M':{'x':{'N':'1'},'y':{'N':'2'}}},'b':{'M':{'x':{'N':'1'}}}}"),
                applied("SET b = a, a.y = :two", "':two':{'N':'2'}", "{'a':{'M':{'x':{'N':'1'}}}}"));
    }

    @Test
    void remove_usesTheOriginalIndexesAndIgnoresWhatIsMissing() {
        assertEquals(json("{'a':{'L':[{'N':'0'},{'N':'2'}]},'b':{'M':{}}}"), applied("REMOVE a[1], a[3], a[9], b.c, q",
                "", "{'a':{'L':[{'N':'0'},{'N':'1'},{'N':'2'},{'N':'3'}]},'b':{'M':{}}}"));
    }

    @Test
    void addAndDelete_workOnNumbersAndSets() {
        assertEquals(json("{'n':{'N':'43.11'},'s':{'SS':['a','b']}}"),
                applied("ADD n :d, s :s", "':d':{'N':'6'},':s':{'SS':['b']}", "{'n':{'N':'37.11'},'s':{'SS':['a']}}"));
        assertEquals(json("{'n':{'N':'1'}}"), applied("ADD n :d", "':d':{'N':'1'}", "{}"));
        assertEquals(json("{'s':{'NS':['30']}}"),
                applied("DELETE s :d", "':d':{'NS':['10','2e1']}", "{'s':{'NS':['10','20','30']}}"));
        assertEquals(json("{}"), applied("DELETE s :d", "':d':{'SS':['a']}", "{'s':{'SS':['a']}}"));
        assertEquals("An operand in the update expression has an incorrect data type",
                failure("ADD s :d", "':d':{'N':'1'}", "{'s':{'S':'x'}}"));
        assertEquals("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
                + "operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND",
                refusal("{'UpdateExpression':'ADD a :v','ExpressionAttributeValues':{':v':{'S':'x'}}}"));
        assertEquals("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, "
                + "operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND",
                refusal("{'UpdateExpression':'DELETE a :v','ExpressionAttributeValues':{':v':{'N':'1'}}}"));
    }

    @Test
    void paths_mayNeitherOverlapNorConflict() {
        assertEquals("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite "
                + "one of these paths; path one: [a, b], path two: [a]",
                refusal("{'UpdateExpression':'SET a.b = :v REMOVE a','ExpressionAttributeValues':{':v':{'N':'1'}}}"));
        assertEquals("Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite "
                + "one of these paths; path one: [a, b], path two: [a, [1]]",
                refusal("{'UpdateExpression':'SET a.b = :v, a[1] = :v','ExpressionAttributeValues':{':v':{'N':'1'}}}"));
    }

    @Test
    void sections_appearOnce_andKeysCannotChange() {
        assertEquals("Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;",
                refusal("{'UpdateExpression':'SET a = :v set b = :v','ExpressionAttributeValues':{':v':{'N':'1'}}}"));
        assertEquals("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite "
                + "one of these paths; path one: [a], path two: [a]", refusal("{'UpdateExpression':"
                + "'set a = :v ADD x :undefined set a = :v','ExpressionAttributeValues':{':v':{'N':'1'}}}"));
        assertEquals("One or more parameter values were invalid: Cannot update attribute p. This attribute is part of "
                + "the key", refusal("{'UpdateExpression':'SET p = :v','ExpressionAttributeValues':{':v':{'N':'1'}}}"));
        assertTrue(refusal("{'UpdateExpression':'HELLO b = :v','ExpressionAttributeValues':{':v':{'N':'1'}}}")
                .startsWith("Invalid UpdateExpression: Syntax error; token: \"HELLO\""));
        assertEquals("Invalid UpdateExpression: Syntax error; token: \"_\", near: \"SET _abc\"",
                refusal("{'UpdateExpression':'SET _abc = :v','ExpressionAttributeValues':{':v':{'N':'1'}}}"));
        assertEquals("ExpressionAttributeNames contains invalid key: Syntax error; key: \"#\"",
                refusal("{'UpdateExpression':'SET # = :v','ExpressionAttributeNames':{'#':'a'},"
                        + "'ExpressionAttributeValues':{':v':{'N':'1'}}}"));
    }

    @Test
    void anUpdateThatOnlyRemovesOrDeletes_createsNoItem() {
        assertFalse(update("REMOVE a", "").createsMissingItem());
        assertFalse(update("DELETE a :s", "':s':{'SS':['x']}").createsMissingItem());
        assertTrue(update("SET a = :v", "':v':{'N':'1'}").createsMissingItem());
        assertTrue(update("ADD a :v", "':v':{'N':'1'}").createsMissingItem());
    }

    @Test
    void updatedValues_areTheUpdatedPathsNestedAsInTheItem() {
        Update update = update("SET a.b[1] = :v, c = :v REMOVE d", "':v':{'N':'9'}");
        ObjectNode before = json("{'a':{'M':{'b':{'L':[{'N':'0'},{'N':'1'}]},'x':{'N':'5'}}},'d':{'S':'gone'}}");
        ObjectNode after = update.apply(before.deepCopy());
        assertEquals(json("{'a':{'M':{'b':{'L':[{'N':'1'}]}}},'d':{'S':'gone'}}"), update.updatedOld(before));
        assertEquals(json("{'a':{'M':{'b':{'L':[{'N':'9'}]}}},'c':{'N':'9'}}"), update.updatedNew(after));
    }

    @Test
    void legacyAttributeUpdates_putAddAndDelete() {
        Update update = parse("{'AttributeUpdates':{'a':{'Action':'PUT','Value':{'S':'x'}},"
                + "'n':{'Action':'ADD','Value':{'N':'-3.5'}},'l':{'Action':'ADD','Value':{'L':[{'N':'2'}]}},"
                + "'gone':{'Action':'DELETE'}}}").update().orElseThrow();
        assertEquals(json("{'n':{'N':'5.5'},'l':{'L':[{'N':'1'},{'N':'2'}]},'a':{'S':'x'}}"),
                update.apply(json("{'n':{'N':'9'},'l':{'L':[{'N':'1'}]},'gone':{'S':'y'}}")));
        Update mismatch = parse("{'AttributeUpdates':{'a':{'Action':'ADD','Value':{'N':'2'}}}}").update().orElseThrow();
        assertEquals("One or more parameter values were invalid: Type mismatch for attribute to update",
                assertThrows(DynamoDbError.class, () -> mismatch.apply(json("{'a':{'SS':['x']}}"))).getMessage());
        assertTrue(refusal("{'AttributeUpdates':{'a':{'Action':'ADD','Value':{'S':'x'}}}}").contains("type S"));
        assertFalse(parse("{'AttributeUpdates':{'a':{'Action':'DELETE'}}}").update().orElseThrow()
                .createsMissingItem());
        assertTrue(parse("{'AttributeUpdates':{}}").update().orElseThrow().createsMissingItem());
    }
}
