package io.conveyor.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class BillingTest {
    @Test
    void lambdaDuration_isRoundedUpToTheNextMillisecond() {
        assertEquals(0, Billing.lambdaMillis(0));
        assertEquals(1, Billing.lambdaMillis(1));
        assertEquals(1, Billing.lambdaMillis(999_999));
        assertEquals(1, Billing.lambdaMillis(1_000_000));
        assertEquals(2, Billing.lambdaMillis(1_000_001));
        assertEquals(1_235, Billing.lambdaMillis(1_234_000_001L));
        assertThrows(IllegalArgumentException.class, () -> Billing.lambdaMillis(-1));
    }

    @Test
    void amounts_areShownHalfUpToAHundredMillionthOfADollar() {
        assertEquals(new BigDecimal("0.00000001"), Billing.shown(new BigDecimal("0.000000005")));
        assertEquals(new BigDecimal("0.00000000"), Billing.shown(new BigDecimal("0.0000000049999")));
        assertEquals(new BigDecimal("1.23456789"), Billing.shown(new BigDecimal("1.234567885")));
    }
}
