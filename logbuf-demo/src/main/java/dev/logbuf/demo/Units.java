package dev.logbuf.demo;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsing and printing of sizes, durations, counts and I/O failures for people. */
final class Units {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|k|kb|kib|m|mb|mib|g|gb|gib)", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|min)?", Pattern.CASE_INSENSITIVE);

    private Units() {
    }

    /** Bytes: {@code 4194304}, {@code 4m}, {@code 4MiB}, {@code 64k}. Suffixes are binary (k = 1024). */
    static final class SizeConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            final Matcher m = SIZE.matcher(value.trim());
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a size (examples: 65536, 64k, 4MiB)");
            }
            final int shift;
            switch (m.group(2).isEmpty() ? ' ' : Character.toLowerCase(m.group(2).charAt(0))) {
                case 'k': shift = 10; break;
                case 'm': shift = 20; break;
                case 'g': shift = 30; break;
                default: shift = 0; break;
            }
            try {
                final long bytes = Long.parseLong(m.group(1)) << shift;
                if (bytes > Integer.MAX_VALUE || (bytes >>> shift) != Long.parseLong(m.group(1))) {
                    throw new TypeConversionException("'" + value + "' is too large (at most 1 GiB)");
                }
                return (int) bytes;
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is too large (at most 1 GiB)");
            }
        }
    }

    /** A duration: {@code 500ms}, {@code 3s}, {@code 2m}, a bare number of seconds, or ISO-8601 ({@code PT3S}). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            final String text = value.trim();
            if (text.regionMatches(true, 0, "PT", 0, 2)) {
                try {
                    return Duration.parse(text);
                } catch (RuntimeException e) {
                    throw new TypeConversionException("'" + value + "' is not a duration (examples: 500ms, 3s, 2m)");
                }
            }
            final Matcher m = DURATION.matcher(text);
            if (!m.matches() || m.group(1).length() > 12) {
                throw new TypeConversionException("'" + value + "' is not a duration (examples: 500ms, 3s, 2m)");
            }
            final long amount = Long.parseLong(m.group(1));
            final String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
            switch (unit) {
                case "ms": return Duration.ofMillis(amount);
                case "s": return Duration.ofSeconds(amount);
                default: return Duration.ofMinutes(amount);
            }
        }
    }

    /** The duration in nanoseconds, {@link Long#MAX_VALUE} for one too long to count so (about 292 years). */
    static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** {@code 1,234,567}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 4 MiB}, {@code 64 KiB}, or bytes when not a whole number of either. */
    static String size(long bytes) {
        if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= (1 << 10) && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }

    /** {@code 2.345 s}. */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    /** A rate per second, with grouping and the given number of decimals. */
    static String rate(double amount, long nanos, int decimals) {
        final double perSecond = nanos <= 0 ? 0 : amount * 1e9 / nanos;
        return String.format(Locale.ROOT, "%,." + decimals + "f", perSecond);
    }

    /** One line for an I/O failure: what failed on which file, without a stack trace. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return ((NoSuchFileException) e).getFile() + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return ((AccessDeniedException) e).getFile() + ": permission denied";
        }
        if (e instanceof FileSystemException) {
            final FileSystemException f = (FileSystemException) e;
            return f.getFile() + (f.getReason() != null ? ": " + f.getReason() : "");
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
