package io.conveyor.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FormatTest {
    @Test
    void bytes_useBinaryUnitsWithOneDecimal() {
        assertEquals("0 B", Format.bytes(0));
        assertEquals("1023 B", Format.bytes(1023));
        assertEquals("1.0 KiB", Format.bytes(1024));
        assertEquals("77.3 MiB", Format.bytes(81_052_632));
        assertEquals("5.0 GiB", Format.bytes(5L * 1024 * 1024 * 1024));
    }

    @Test
    void durations_dropZeroParts() {
        assertEquals("850 ms", Format.duration(Duration.ofMillis(850)));
        assertEquals("12.4 s", Format.duration(Duration.ofMillis(12_400)));
        assertEquals("3 min 5 s", Format.duration(Duration.ofSeconds(185)));
        assertEquals("3 min", Format.duration(Duration.ofMinutes(3)));
        assertEquals("2 h 1 min", Format.duration(Duration.ofMinutes(121)));
        assertEquals("24 h", Format.duration(Duration.ofHours(24)));
    }
}
