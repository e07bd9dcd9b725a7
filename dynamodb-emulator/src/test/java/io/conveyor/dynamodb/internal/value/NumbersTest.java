package io.conveyor.dynamodb.internal.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.dynamodb.internal.DynamoDbError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumbersTest {

    @ParameterizedTest
    @CsvSource({
        "3.14159, 3.14159", "+3, 3", "+0, 0", "-0, 0", "0.000, 0", ".5, 0.5", "-.5, -0.5", "5., 5",
        "1e20, 100000000000000000000", "9.9e10, 99000000000", "1e-3, 0.001", "123e-2, 1.23", "1.23e-1, 0.123",
        "00012.50, 12.5", "1E+2, 100"
    })
    void normalize_writesDynamoDbsCanonicalText(String input, String canonical) {
        assertEquals(canonical, Numbers.normalize(input));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "dog", " 1", "1 ", "1e", "--1", "1.2.3", "0x10", "."})
    void normalize_refusesTextThatIsNotANumber(String input) {
        DynamoDbError error = assertThrows(DynamoDbError.class, () -> Numbers.normalize(input));
        assertEquals("The parameter cannot be converted to a numeric value: " + input, error.getMessage());
    }

    @Test
    void normalize_acceptsTheWholeRangeAndRefusesBeyondIt() {
        assertEquals("1" + "0".repeat(125), Numbers.normalize("1e125"));
        assertEquals("9".repeat(38) + "0".repeat(88), Numbers.normalize("9.9999999999999999999999999999999999999E+125"));
        assertEquals("0." + "0".repeat(129) + "1", Numbers.normalize("1e-130"));
        assertEquals("Number overflow. Attempting to store a number with magnitude larger than supported range",
                assertThrows(DynamoDbError.class, () -> Numbers.normalize("1e126")).getMessage());
        assertEquals("Number underflow. Attempting to store a number with magnitude smaller than supported range",
                assertThrows(DynamoDbError.class, () -> Numbers.normalize("0.9e-130")).getMessage());
        assertEquals("Number overflow. Attempting to store a number with magnitude larger than supported range",
                assertThrows(DynamoDbError.class, () -> Numbers.normalize("1e99999999999")).getMessage());
    }

    @Test
    void normalize_refusesMoreThan38SignificantDigitsButNotTrailingZeros() {
        assertEquals("1".repeat(38), Numbers.normalize("1".repeat(38)));
        assertEquals("1" + "0".repeat(50), Numbers.normalize("1" + "0".repeat(50)));
        assertEquals("Attempting to store more than 38 significant digits in a Number",
                assertThrows(DynamoDbError.class, () -> Numbers.normalize("1".repeat(39))).getMessage());
    }

    @Test
    void arithmetic_isExactDecimal() {
        assertEquals("10000000000000000000001", Numbers.add("1", "10000000000000000000000"));
        assertEquals("9999999999999999999999", Numbers.subtract("10000000000000000000000", "1"));
        assertEquals("11.7", Numbers.add("100", "-88.3"));
        assertEquals("37.11", Numbers.add("11.7", "25.41"));
        assertEquals("0", Numbers.subtract("2.5", "2.50"));
    }

    @Test
    void arithmetic_thatNeedsMoreThan38DigitsOrLeavesTheRangeIsAnOverflow() {
        String overflow = "Number overflow. Attempting to store a number with magnitude larger than supported range";
        assertEquals(overflow, assertThrows(DynamoDbError.class, () -> Numbers.subtract("1e50", "1")).getMessage());
        assertEquals(overflow, assertThrows(DynamoDbError.class, () -> Numbers.add("9e125", "9e125")).getMessage());
        assertEquals("0", Numbers.normalize("0e1000"));
    }

    @Test
    void compare_isNumeric() {
        assertTrue(Numbers.compare("10", "9") > 0);
        assertTrue(Numbers.compare("-10", "9") < 0);
        assertEquals(0, Numbers.compare("1.0", "1"));
    }
}
