package dev.logbuf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RoundTripTest {

    @Test
    void shouldCarryOneRecordThroughTheSpscRing() {
        SpscQueue queue = SpscQueue.create(64);
        try (WriteClaim claim = queue.producer().tryClaim(12)) {
            assertNotNull(claim);
            claim.putLong(0, 0x1122334455667788L).putInt(8, 42);
            claim.commit();
        }
        try (ReadClaim record = queue.consumer().tryClaim()) {
            assertNotNull(record);
            assertEquals(12, record.length());
            assertEquals(0x1122334455667788L, record.getLong(0));
            assertEquals(42, record.getInt(8));
        }
        assertNull(queue.consumer().tryClaim());
    }

    @Test
    void shouldKeepFlowingForManyLapsWithEveryLength() {
        for (int cap : new int[] {16, 32, 64, 128}) {
            SpscQueue queue = SpscQueue.create(cap);
            MpscQueue mq = MpscQueue.create(cap);
            Producer[] producers = {queue.producer(), mq.newProducer()};
            Consumer[] consumers = {queue.consumer(), mq.consumer()};
            for (int v = 0; v < 2; v++) {
                Producer p = producers[v];
                Consumer c = consumers[v];
                long seq = 0;
                long expected = 0;
                for (int i = 0; i < 10_000; i++) {
                    int len = 1 + (i * 7919) % p.maxRecordLength();
                    WriteClaim w = p.tryClaim(len);
                    while (w == null) {
                        ReadClaim r = c.tryClaim();
                        if (r == null) {
                            // drained: at most one pad-to-the-end attempt, stepped over by the consumer
                            w = p.tryClaim(len);
                            if (w == null) {
                                assertNull(c.tryClaim(), "padding is never shown");
                                w = p.tryClaim(len);
                            }
                            assertNotNull(w, "a drained ring must accept length " + len);
                            break;
                        }
                        check(r, expected++);
                        r.close();
                        w = p.tryClaim(len);
                    }
                    for (int b = 0; b < len; b++) {
                        w.putByte(b, (byte) (seq + b));
                    }
                    w.commit();
                    seq++;
                }
                ReadClaim r;
                while ((r = c.tryClaim()) != null) {
                    check(r, expected++);
                    r.close();
                }
                assertEquals(seq, expected);
            }
        }
    }

    private static void check(ReadClaim r, long seq) {
        for (int b = 0; b < r.length(); b++) {
            assertEquals((byte) (seq + b), r.get(b), "seq " + seq + " byte " + b);
        }
    }
}
