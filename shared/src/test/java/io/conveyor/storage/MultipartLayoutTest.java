package io.conveyor.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MultipartLayoutTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void parts_areAllPartSize_exceptTheLastWhichHoldsTheRest() {
        MultipartLayout layout = MultipartLayout.of(130 * MIB + 1, 64 * MIB);
        assertEquals(3, layout.partCount());
        assertEquals(64 * MIB, layout.sizeOf(1));
        assertEquals(64 * MIB, layout.sizeOf(2));
        assertEquals(2 * MIB + 1, layout.sizeOf(3));
        assertThrows(IllegalArgumentException.class, () -> layout.sizeOf(4));
        assertThrows(IllegalArgumentException.class, () -> layout.sizeOf(0));
    }

    @Test
    void anExactMultiple_hasNoShortLastPart() {
        MultipartLayout layout = MultipartLayout.of(10 * MIB, 5 * MIB);
        assertEquals(2, layout.partCount());
        assertEquals(5 * MIB, layout.sizeOf(2));
    }

    @Test
    void whatS3Refuses_isRefusedHere() {
        assertThrows(IllegalArgumentException.class, () -> MultipartLayout.of(10 * MIB, 4 * MIB), "parts under 5 MiB");
        assertThrows(IllegalArgumentException.class, () -> MultipartLayout.of(0, 5 * MIB), "an empty object");
        assertThrows(IllegalArgumentException.class, () -> MultipartLayout.of(10_001 * 5 * MIB, 5 * MIB), "over 10,000 parts");
    }
}
