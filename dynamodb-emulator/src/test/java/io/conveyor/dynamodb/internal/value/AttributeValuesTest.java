package io.conveyor.dynamodb.internal.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conveyor.dynamodb.internal.DynamoDbError;
import org.junit.jupiter.api.Test;

class AttributeValuesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode value(String json) {
        try {
            return JSON.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    @Test
    void compare_ordersStringsByUtf8Bytes() {
        assertTrue(AttributeValues.compare(value("{'S':'a'}"), value("{'S':'b'}")) < 0);
        assertTrue(AttributeValues.compare(value("{'S':'Z'}"), value("{'S':'a'}")) < 0);
        // U+FF5E sorts before U+1F600 in UTF-8 though its UTF-16 unit is larger than the surrogate's.
        assertTrue(AttributeValues.compare(value("{'S':'\uff5e'}"), value("{'S':'\ud83d\ude00'}")) < 0);
    }

    @Test
    void compare_ordersNumbersNumericallyAndBinaryAsUnsignedBytes() {
        assertTrue(AttributeValues.compare(value("{'N':'9'}"), value("{'N':'10'}")) < 0);
        // 0x7f < 0xff when unsigned.
        assertTrue(AttributeValues.compare(value("{'B':'fw=='}"), value("{'B':'/w=='}")) < 0);
    }

    @Test
    void equals_treatsSetsAsUnorderedAndNumbersByValue() {
        assertTrue(AttributeValues.equals(value("{'SS':['a','b']}"), value("{'SS':['b','a']}")));
        assertTrue(AttributeValues.equals(value("{'NS':['1','2']}"), value("{'NS':['2.0','1']}")));
        assertTrue(AttributeValues.equals(value("{'N':'1.50'}"), value("{'N':'1.5'}")));
        assertFalse(AttributeValues.equals(value("{'NS':['1']}"), value("{'N':'1'}")));
        assertFalse(AttributeValues.equals(value("{'L':[{'S':'a'},{'S':'b'}]}"), value("{'L':[{'S':'b'},{'S':'a'}]}")));
        assertTrue(AttributeValues.equals(value("{'M':{'x':{'SS':['a','b']}}}"), value("{'M':{'x':{'SS':['b','a']}}}")));
        assertFalse(AttributeValues.equals(value("{'M':{'x':{'S':'a'}}}"), value("{'M':{'y':{'S':'a'}}}")));
    }

    @Test
    void validate_normalisesNumbersDeepInsideAndKeepsWhatNeedsNoChange() {
        JsonNode plain = value("{'M':{'a':{'S':'x'},'b':{'L':[{'N':'1'}]}}}");
        assertSame(plain, AttributeValues.validate(plain));
        JsonNode normalised = AttributeValues.validate(value("{'M':{'b':{'L':[{'N':'+1.0'},{'NS':['1e1']}]}}}"));
        assertEquals(value("{'M':{'b':{'L':[{'N':'1'},{'NS':['10']}]}}}"), normalised);
    }

    @Test
    void validate_refusesEmptySetsDuplicatesAndBadValues() {
        assertEquals("One or more parameter values were invalid: An string set  may not be empty",
                message(value("{'SS':[]}")));
        assertEquals("One or more parameter values were invalid: An number set  may not be empty",
                message(value("{'NS':[]}")));
        assertEquals("One or more parameter values were invalid: Input collection [a, a] contains duplicates.",
                message(value("{'SS':['a','a']}")));
        assertEquals("One or more parameter values were invalid: Binary sets should not be empty",
                message(value("{'BS':[]}")));
        assertEquals("Input collection contains duplicates", message(value("{'NS':['1','1.0']}")));
        assertEquals("One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains "
                + "duplicates.", message(value("{'BS':['Yg==','Yg==']}")));
        assertEquals("The parameter cannot be converted to a numeric value", message(value("{'N':''}")));
        assertEquals("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
                message(value("{}")));
        assertEquals("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
                + "supported datatypes", message(value("{'S':'a','N':'1'}")));
        assertEquals("One or more parameter values were invalid: Null attribute value types must have the value of "
                + "true", message(value("{'NULL':false}")));
        assertEquals("The parameter cannot be converted to a numeric value: x", message(value("{'N':'x'}")));
        DynamoDbError badBase64 = assertThrows(DynamoDbError.class, () -> AttributeValues.validate(value("{'B':'!!'}")));
        assertEquals("SerializationException", badBase64.type());
    }

    @Test
    void validate_answersJsonOfTheWrongKindWithAwssSerializationMessages() {
        DynamoDbError number = assertThrows(DynamoDbError.class, () -> AttributeValues.validate(value("{'S':123}")));
        assertEquals("SerializationException", number.type());
        assertEquals("NUMBER_VALUE cannot be converted to String", number.getMessage());
        assertEquals("Start of structure or map found where not expected",
                assertThrows(DynamoDbError.class, () -> AttributeValues.validate(value("{'S':{'S':'x'}}"))).getMessage());
        assertEquals("Start of structure or map found where not expected", assertThrows(DynamoDbError.class,
                () -> AttributeValues.validate(value("{'M':{'x':{'N':{'a':1}}}}"))).getMessage());
    }

    @Test
    void validate_acceptsEmptyStringsAndBinaryOutsideKeys() {
        JsonNode empty = value("{'S':''}");
        assertSame(empty, AttributeValues.validate(empty));
        JsonNode emptyBinary = value("{'B':''}");
        assertSame(emptyBinary, AttributeValues.validate(emptyBinary));
    }

    private static String message(JsonNode value) {
        return assertThrows(DynamoDbError.class, () -> AttributeValues.validate(value)).getMessage();
    }
}
