package dev.logbuf.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The records every subject carries: a fixed-seed table of payload lengths,
 * walked in order by each producer, and one source array copied into every
 * record.
 *
 * <p>A record's first 8 bytes are its stamp (producer id in the top byte,
 * the producer's sequence below it, little-endian); the rest is
 * {@link #SOURCE} from the same index. The consumer checks the stamp, the
 * length the table predicts for that sequence, and the last byte.
 */
final class Payloads {

    /** The ring of the original's method: 2 MiB. */
    static final int RING_BYTES = 2 << 20;

    /** Length-table entries: a power of two, so sequence {@code s} has length {@code table[s & mask]}. */
    static final int TABLE_SIZE = 1 << 16;

    /** The seed of the random length table; fixed so every run and subject sees the same records. */
    static final long SEED = 0x10_6B_0FL;

    /** The shortest and longest random payload (inclusive), as in the original. */
    static final int MIN_RANDOM = 8;
    static final int MAX_RANDOM = 1024;

    /** The bytes copied into every record (stamp aside). */
    static final byte[] SOURCE = new byte[MAX_RANDOM];

    /** Header plus alignment that byte rings (logbuf, Agrona) add to every record. */
    private static final int RING_HEADER = 8;

    static {
        for (int i = 0; i < SOURCE.length; i++) {
            SOURCE[i] = (byte) (i * 31 + 7);
        }
    }

    private Payloads() {
    }

    /**
     * The length table for a size parameter: {@code "random"} (uniform in
     * 8..1024, fixed seed) or a decimal byte count (every record that long).
     */
    static int[] lengths(String size) {
        final int[] table = new int[TABLE_SIZE];
        if ("random".equals(size)) {
            final SplittableRandom random = new SplittableRandom(SEED);
            for (int i = 0; i < table.length; i++) {
                table[i] = random.nextInt(MIN_RANDOM, MAX_RANDOM + 1);
            }
        } else {
            final int fixed = Integer.parseInt(size);
            if (fixed < MIN_RANDOM || fixed > MAX_RANDOM) {
                throw new IllegalArgumentException("size " + fixed + " is outside " + MIN_RANDOM + ".." + MAX_RANDOM);
            }
            Arrays.fill(table, fixed);
        }
        return table;
    }

    /**
     * How many {@code byte[]} messages an object queue gets so that it holds
     * about as many bytes as a byte ring of {@code ringBytes}: the ring's bytes
     * over the mean space a record takes in a byte ring (8-byte header, padded
     * to 8), rounded up to a power of two (JCTools rounds up anyway; the
     * {@code ArrayBlockingQueue} gets the same count).
     */
    static int elementsFor(int ringBytes, int[] lengths) {
        long total = 0;
        for (int length : lengths) {
            total += (RING_HEADER + length + 7) & -8;
        }
        final double mean = (double) total / lengths.length;
        final int elements = (int) Math.ceil(ringBytes / mean);
        return Integer.highestOneBit(elements - 1) << 1;
    }

    /** A record's stamp: producer id in the top byte, sequence below. */
    static long stamp(int producerId, long sequence) {
        return ((long) producerId << 56) | sequence;
    }
}
