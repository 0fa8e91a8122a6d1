package dev.logbuf.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.kafka.testing.TestBroker;
import dev.logbuf.queue.WriteClaim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A channel's receiver as the shipper's source: the shipper parks in the
 * receiver while the channel is idle, the senders' commits wake it, and
 * {@code run()} returns by itself once every sender has closed and every
 * record is in the topic, exactly once.
 */
@DisplayName("shipping a channel to Kafka")
class ChannelShipperTest {

    static final int SENDERS = 4;
    static final long PER_SENDER = 10_000;

    @Test
    @DisplayName("4 senders, exactly once: run() ends when the senders have closed and everything is shipped")
    @Timeout(120)
    void shouldShipAChannelAndEndWithIt() throws Exception {
        final String topic = TestBroker.newTopic("channel");
        final MpscChannel channel = MpscChannel.create(1 << 18);
        final KafkaShipper shipper = KafkaShipper.builder(channel.receiver())
                .bootstrapServers(TestBroker.servers())
                .topic(topic)
                .guarantee(Guarantee.EXACTLY_ONCE)
                .timeout(Duration.ofSeconds(20))
                .build();
        final List<MpscSender> senders = new ArrayList<>();
        final MpscSender first = channel.newSender();
        for (int s = 0; s < SENDERS; s++) {
            senders.add(s == 0 ? first : first.duplicate()); // all opened before any closes
        }
        final Running shipping = Running.start(shipper);
        final List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            final int id = s;
            final MpscSender sender = senders.get(s);
            final Thread thread = new Thread(() -> {
                try (sender) {
                    for (long seq = 0; seq < PER_SENDER; seq++) {
                        final int length = TestRecords.lengthOf(seq);
                        try (WriteClaim claim = sender.send(length)) {
                            TestRecords.write(claim, id, seq);
                            claim.commit(); // wakes the parked shipper by itself
                        }
                        if (seq % 2000 == 0) {
                            Thread.sleep(5); // let the shipper park now and then
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sender-" + s);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        shipping.awaitEnd(Duration.ofSeconds(60)); // by itself: every sender closed, everything shipped
        shipper.close();
        final long total = SENDERS * PER_SENDER;
        assertEquals(total, shipper.stats().shipped());
        final TestRecords.Tally tally = new TestRecords.Tally(
                TestBroker.readCommitted(topic, total, Duration.ofSeconds(10)));
        tally.assertComplete(SENDERS, PER_SENDER);
        assertEquals(0, tally.duplicates);
        assertEquals(total, tally.records);
    }
}
