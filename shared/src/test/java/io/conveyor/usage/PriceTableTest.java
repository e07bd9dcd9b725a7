package io.conveyor.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceTableTest {
    @Test
    void defaults_areUsEast1Arm64_datedAndSourced() {
        PriceTable prices = PriceTable.defaults();
        assertEquals("us-east-1", prices.region());
        assertEquals("arm64", prices.architecture());
        assertTrue(prices.date().matches("\\d{4}-\\d{2}-\\d{2}"), prices.date());
        assertTrue(prices.source().contains("https://aws.amazon.com/step-functions/pricing/"), prices.source());
        assertEquals(new BigDecimal("0.000025"), prices.transition());
        assertEquals(new BigDecimal("0.0000133334"), prices.lambdaGbSecond());
        assertEquals(new BigDecimal("0.000000625"), prices.writeUnit());
        assertEquals(new BigDecimal("0.000000125"), prices.readUnit());
        assertEquals(new BigDecimal("0.000005"), prices.s3ClassARequest());
        assertEquals(new BigDecimal("0.0000004"), prices.s3ClassBRequest());
    }

    @Test
    void overrides_replaceOnlyTheEntriesTheyName() {
        PriceTable prices = PriceTable.withOverrides("region=eu-west-1, lambda.gbSecond=0.0000166667,date=2026-12-01");
        assertEquals("eu-west-1", prices.region());
        assertEquals("2026-12-01", prices.date());
        assertEquals(new BigDecimal("0.0000166667"), prices.lambdaGbSecond());
        assertEquals(PriceTable.defaults().transition(), prices.transition());
    }

    @Test
    void badOverrides_areRefusedNamingEachProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PriceTable.withOverrides("lambda.gbsecond=1,s3.gbMonth=cheap,eventBridge.event=-1"));
        assertTrue(e.getMessage().contains("unknown price 'lambda.gbsecond'"), e.getMessage());
        assertTrue(e.getMessage().contains("'s3.gbMonth' must be a decimal number"), e.getMessage());
        assertTrue(e.getMessage().contains("'eventBridge.event' is negative"), e.getMessage());
        assertFalse(e.getMessage().contains("price 'stepFunctions.transition'"), e.getMessage());
    }
}
