package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** Sizes and durations as people type them. */
class UnitsTest {

    private final Units.SizeConverter size = new Units.SizeConverter();
    private final Units.DurationConverter duration = new Units.DurationConverter();

    @Test
    void shouldReadSizesWithBinarySuffixes() {
        assertEquals(65536, size.convert("65536"));
        assertEquals(65536, size.convert("64k"));
        assertEquals(4 << 20, size.convert("4MiB"));
        assertEquals(4 << 20, size.convert("4m"));
        assertEquals(1 << 30, size.convert("1g"));
        assertThrows(TypeConversionException.class, () -> size.convert("4x"));
        assertThrows(TypeConversionException.class, () -> size.convert("2g"));
        assertThrows(TypeConversionException.class, () -> size.convert("99999999999999999999"));
    }

    @Test
    void shouldReadDurations() {
        assertEquals(Duration.ofMillis(500), duration.convert("500ms"));
        assertEquals(Duration.ofSeconds(3), duration.convert("3s"));
        assertEquals(Duration.ofSeconds(3), duration.convert("3"));
        assertEquals(Duration.ofMinutes(2), duration.convert("2m"));
        assertEquals(Duration.ofSeconds(3), duration.convert("PT3S"));
        assertThrows(TypeConversionException.class, () -> duration.convert("soon"));
    }

    @Test
    void shouldPrintForPeople() {
        assertEquals("1,234,567", Units.count(1_234_567));
        assertEquals("4 MiB", Units.size(4 << 20));
        assertEquals("64 KiB", Units.size(64 << 10));
        assertEquals("100 bytes", Units.size(100));
    }
}
