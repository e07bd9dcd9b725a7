package io.conveyor.dynamodb.internal.value;

import static io.conveyor.dynamodb.internal.value.AttributeValuesTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ItemSizeTest {

    @Test
    void bytes_countsNamesAndStringsInUtf8() {
        assertEquals(1 + 5, ItemSize.bytes((ObjectNode) value("{'a':{'S':'hello'}}")));
        assertEquals(2 + 3, ItemSize.bytes((ObjectNode) value("{'\u00e9':{'S':'\u20ac'}}")));
    }

    @Test
    void bytes_countsNumbersAsDigitPairsPlusAByte() {
        assertEquals(1 + 1, ItemSize.bytes((ObjectNode) value("{'n':{'N':'0'}}")));
        assertEquals(1 + 2, ItemSize.bytes((ObjectNode) value("{'n':{'N':'7'}}")));
        assertEquals(1 + 2, ItemSize.bytes((ObjectNode) value("{'n':{'N':'1000000'}}")));
        // 12 is one pair on an odd exponent; 1.2 straddles two pairs.
        assertEquals(1 + 2, ItemSize.bytes((ObjectNode) value("{'n':{'N':'12'}}")));
        assertEquals(1 + 3, ItemSize.bytes((ObjectNode) value("{'n':{'N':'1.2'}}")));
        assertEquals(1 + 3, ItemSize.bytes((ObjectNode) value("{'n':{'N':'-7'}}")));
        assertEquals(1 + 20, ItemSize.bytes((ObjectNode) value("{'n':{'N':'" + "9".repeat(38) + "'}}")));
    }

    @Test
    void bytes_countsBinaryDecodedAndContainersWithTheirOverhead() {
        assertEquals(1 + 3, ItemSize.bytes((ObjectNode) value("{'b':{'B':'Y2F0'}}")));
        // A list: 3 bytes, plus per element 1 byte and the element ("x" 1, true 1).
        assertEquals(1 + 3 + 2 + 2, ItemSize.bytes((ObjectNode) value("{'l':{'L':[{'S':'x'},{'BOOL':true}]}}")));
        // A map: 3 bytes, plus per entry 1 byte, its name and its value.
        assertEquals(1 + 3 + 1 + 2 + 1, ItemSize.bytes((ObjectNode) value("{'m':{'M':{'ab':{'S':'x'}}}}")));
    }
}
