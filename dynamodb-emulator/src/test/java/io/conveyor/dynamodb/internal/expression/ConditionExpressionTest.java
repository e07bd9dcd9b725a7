package io.conveyor.dynamodb.internal.expression;

import static io.conveyor.dynamodb.internal.expression.Requests.holds;
import static io.conveyor.dynamodb.internal.expression.Requests.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConditionExpressionTest {
    private static final String ITEM = "{'p':{'S':'k'},'n':{'N':'5'},'s':{'S':'hello'},'b':{'B':'aGkgdGhlcmU='},"
            + "'ss':{'SS':['x','y']},'ns':{'NS':['1','2']},'l':{'L':[{'N':'1'},{'S':'two'},{'NS':['3']}]},"
            + "'m':{'M':{'x':{'N':'1'},'y':{'L':[{'N':'-1'},{'N':'2'}]}}},'t':{'BOOL':true},'z':{'NULL':true},"
            + "'emoji':{'S':'\u00e9\ud834\udd1e'}}";

    private static boolean condition(String expression, String values) {
        return holds("{'ConditionExpression':'" + expression + "'"
                + (values.isEmpty() ? "" : ",'ExpressionAttributeValues':{" + values + "}") + "}", ITEM);
    }

    @Test
    void comparisons_orderNumbersStringsAndBinary() {
        assertTrue(condition("n > :v", "':v':{'N':'4.99'}"));
        assertTrue(condition("n <= :v", "':v':{'N':'5.0'}"));
        assertTrue(condition("s < :v", "':v':{'S':'help'}"));
        assertTrue(condition("b >= :v", "':v':{'B':'aGk='}"));
    }

    @Test
    void comparisons_betweenDifferentTypesAreFalseNotErrors() {
        assertFalse(condition("n = :v", "':v':{'S':'5'}"));
        assertFalse(condition("n < :v", "':v':{'S':'9'}"));
        assertTrue(condition("n <> :v", "':v':{'S':'5'}"));
        assertFalse(condition("l < n", ""));
    }

    @Test
    void missingAttributes_makeEqualityFalseAndInequalityTrue() {
        assertFalse(condition("q = r", ""));
        assertTrue(condition("q <> r", ""));
        assertFalse(condition("q < :v", "':v':{'N':'1'}"));
        assertFalse(holds("{'ConditionExpression':'attribute_exists(p)'}", null));
        assertTrue(holds("{'ConditionExpression':'attribute_not_exists(p)'}", null));
    }

    @Test
    void and_bindsTighterThanOr_andNotTighterThanAnd() {
        // false OR (true AND true)
        assertTrue(condition("n = :four OR n = :five AND s = :hello",
                "':four':{'N':'4'},':five':{'N':'5'},':hello':{'S':'hello'}"));
        // (NOT false) AND true
        assertTrue(condition("NOT n = :four AND s = :hello", "':four':{'N':'4'},':hello':{'S':'hello'}"));
        assertFalse(condition("NOT (n = :four OR s = :hello)", "':four':{'N':'4'},':hello':{'S':'hello'}"));
        assertTrue(condition("n = :four oR s = :hello", "':four':{'N':'4'},':hello':{'S':'hello'}"));
    }

    @Test
    void operands_mayStandInParentheses() {
        assertTrue(condition("(n) = (:five)", "':five':{'N':'5'}"));
        assertTrue(condition("(size(s)) BETWEEN :a AND (:b)", "':a':{'N':'5'},':b':{'N':'6'}"));
        assertTrue(condition("((n) = :five)", "':five':{'N':'5'}"));
    }

    @Test
    void between_includesBothBounds_andIn_matchesAnyCandidate() {
        assertTrue(condition("n BETWEEN :a AND :b", "':a':{'N':'5'},':b':{'N':'5'}"));
        assertFalse(condition("s BETWEEN :a AND :b", "':a':{'S':'i'},':b':{'S':'z'}"));
        assertTrue(condition("n IN (:a, :b)", "':a':{'S':'5'},':b':{'N':'5.0'}"));
        assertFalse(condition("q IN (:a)", "':a':{'N':'5'}"));
    }

    @Test
    void functions_testTypesPrefixesAndMembers() {
        assertTrue(condition("attribute_type(ns, :t)", "':t':{'S':'NS'}"));
        assertTrue(condition("begins_with(s, :v)", "':v':{'S':'hel'}"));
        assertTrue(condition("begins_with(b, :v)", "':v':{'B':'aGk='}"));
        assertTrue(condition("contains(s, :v)", "':v':{'S':'ell'}"));
        assertTrue(condition("contains(ss, :v)", "':v':{'S':'y'}"));
        assertTrue(condition("contains(ns, :v)", "':v':{'N':'2.0'}"));
        assertFalse(condition("contains(ns, :v)", "':v':{'NS':['1']}"));
        assertTrue(condition("contains(l, :v)", "':v':{'NS':['3']}"));
        assertFalse(condition("contains(t, :v)", "':v':{'BOOL':true}"));
    }

    @Test
    void size_countsUtf16UnitsOfStringsAndElementsOfCollections_andIsMissingForOthers() {
        assertTrue(condition("size(emoji) = :v", "':v':{'N':'3'}"));
        assertTrue(condition("size(b) = :v", "':v':{'N':'8'}"));
        assertTrue(condition("size(l) = :v", "':v':{'N':'3'}"));
        assertTrue(condition("size(m) = :v", "':v':{'N':'2'}"));
        assertFalse(condition("size(n) = :v", "':v':{'N':'1'}"));
        assertFalse(condition("size(t) < :v", "':v':{'N':'100'}"));
    }

    @Test
    void documentPaths_reachIntoMapsAndLists() {
        assertTrue(condition("m.x < m.y[1]", ""));
        assertFalse(condition("m.x < m.y[0]", ""));
        assertFalse(condition("m.q < m.y[100]", ""));
        assertTrue(holds("{'ConditionExpression':'#a.#b = :v','ExpressionAttributeNames':{'#a':'m','#b':'x'},"
                + "'ExpressionAttributeValues':{':v':{'N':'1'}}}", ITEM));
    }

    @Test
    void reservedWords_placeholders_andFunctionsAreCheckedWithAwsMessages() {
        assertEquals("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name",
                refusal("{'ConditionExpression':'name = :v','ExpressionAttributeValues':{':v':{'S':'x'}}}"));
        assertEquals("Invalid ConditionExpression: An expression attribute name used in the document path is not "
                + "defined; attribute name: #x", refusal("{'ConditionExpression':'attribute_exists(#x)'}"));
        assertEquals("Invalid ConditionExpression: An expression attribute value used in expression is not defined; "
                + "attribute value: :v", refusal("{'ConditionExpression':'a = :v'}"));
        assertEquals("Invalid ConditionExpression: Invalid function name; function: dog",
                refusal("{'ConditionExpression':'dog(a)'}"));
        assertEquals("Invalid ConditionExpression: Incorrect number of operands for operator or function; operator "
                + "or function: begins_with, number of operands: 1", refusal("{'ConditionExpression':'begins_with(a)'}"));
        assertEquals("Invalid ConditionExpression: The function is not allowed in a condition expression; "
                + "function: list_append", refusal("{'ConditionExpression':'list_append(a, a) = :v',"
                + "'ExpressionAttributeValues':{':v':{'N':'5'}}}"));
        assertEquals("Invalid ConditionExpression: The function is not allowed to be used this way in an expression; "
                + "function: attribute_exists", refusal("{'ConditionExpression':'attribute_exists(a) < :v',"
                + "'ExpressionAttributeValues':{':v':{'N':'5'}}}"));
        assertEquals("Invalid ConditionExpression: The function is not allowed to be used this way in an expression; "
                + "function: size", refusal("{'ConditionExpression':'size(a)'}"));
        assertEquals("Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                + "function: begins_with, operand type: N", refusal("{'ConditionExpression':'begins_with(a, :v)',"
                + "'ExpressionAttributeValues':{':v':{'N':'5'}}}"));
    }

    @Test
    void syntaxErrors_nameTheTokenAndWhatPrecedesIt() {
        assertEquals("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"a\"",
                refusal("{'ConditionExpression':'NOT a'}"));
        assertEquals("Invalid ConditionExpression: Syntax error; token: \"$\", near: \"hi$there\"",
                refusal("{'ConditionExpression':'hi$there = :v','ExpressionAttributeValues':{':v':{'N':'1'}}}"));
        assertEquals("Invalid ConditionExpression: The expression can not be empty;",
                refusal("{'ConditionExpression':'  '}"));
        assertEquals("Invalid ConditionExpression: Syntax error; token: \"abc\", near: \"[abc]\"",
                refusal("{'ConditionExpression':'l[abc] = :v','ExpressionAttributeValues':{':v':{'N':'1'}}}"));
        assertEquals("Invalid ConditionExpression: Syntax error; token: \"-\", near: \"[-1\"",
                refusal("{'ConditionExpression':'l[-1] = :v','ExpressionAttributeValues':{':v':{'N':'1'}}}"));
        assertEquals("Invalid ConditionExpression: Syntax error; token: \")\", near: \"()\"",
                refusal("{'ConditionExpression':'a IN ()'}"));
    }

    @Test
    void constantOperands_areCheckedBeforeAnyItemIsRead() {
        assertTrue(refusal("{'ConditionExpression':'a < :v','ExpressionAttributeValues':{':v':{'L':[]}}}")
                .contains("Incorrect operand type"));
        assertEquals("Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or "
                + "equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: "
                + "AttributeValue: {N:3}", refusal("{'ConditionExpression':'a BETWEEN :x AND :y',"
                + "'ExpressionAttributeValues':{':x':{'N':'5'},':y':{'N':'3'}}}"));
        assertTrue(refusal("{'ConditionExpression':'a BETWEEN :x AND :y',"
                + "'ExpressionAttributeValues':{':x':{'N':'5'},':y':{'S':'3'}}}").contains("same data type"));
        assertEquals("Invalid ConditionExpression: The first operand must be distinct from the remaining operands "
                + "for this operator or function; operator: =, first operand: [a]",
                refusal("{'ConditionExpression':'a = a'}"));
    }

    @Test
    void limits_areAwss() {
        assertEquals("Invalid ConditionExpression: The expression has redundant parentheses;",
                refusal("{'ConditionExpression':'((a = b))'}"));
        String manyNots = "NOT ".repeat(301) + "a = b";
        assertEquals("Invalid ConditionExpression: The expression contains too many operators; operator count: 301",
                refusal("{'ConditionExpression':'" + manyNots + "'}"));
        String longExpression = "a = b" + " ".repeat(4092);
        assertEquals("Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
                + "expression size: 4097", refusal("{'ConditionExpression':'" + longExpression + "'}"));
        StringBuilder in = new StringBuilder("a IN (");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            in.append(i == 0 ? "" : ",").append(":v").append(i);
            values.append(i == 0 ? "" : ",").append("':v").append(i).append("':{'N':'").append(i).append("'}");
        }
        assertTrue(refusal("{'ConditionExpression':'" + in + ")','ExpressionAttributeValues':{" + values + "}}")
                .contains("IN"));
    }
}
