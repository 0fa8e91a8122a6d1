/**
 * Ships the records of a logbuf ring (a queue's consumer or a channel's
 * receiver) to an Apache Kafka topic, one Kafka
 * record per logbuf record, at least once or exactly once, with the ring as
 * the only buffer: {@link dev.logbuf.kafka.KafkaShipper}.
 *
 * <p>The Kafka client ({@code kafka-clients}, an automatic module) is this
 * module's dependency alone; {@code dev.logbuf.queue} and
 * {@code dev.logbuf.channel} still depend on nothing. The client cannot be
 * linked into a jlink image (it has no module descriptor): an application
 * that ships runs on the module path or the class path.
 */
module dev.logbuf.kafka {
    requires transitive dev.logbuf.channel;
    requires kafka.clients;

    exports dev.logbuf.kafka;
}
