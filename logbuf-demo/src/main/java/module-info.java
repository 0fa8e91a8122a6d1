/**
 * The journal, logbuf's main job: producer threads send sequence-numbered
 * records through an MPSC channel to one receiver thread that appends each
 * record, framed with its length and CRC32C, to a file; the file is then read
 * back and every frame verified. Run it with {@code bin/logbuf-journal} from
 * the jlink image, or with
 * {@code java -p target/modules -m dev.logbuf.demo/dev.logbuf.demo.Journal}.
 *
 * <p>The module exports nothing: it is an application. It opens its one
 * package to {@code info.picocli}, which reads the command-line options from
 * annotated fields by reflection.
 *
 * <p>Threading: the journal runs one thread per producer, each with its own
 * duplicated sender, and one receiver thread that owns the file; the main
 * thread only starts, watches and joins them. Split in two processes over a
 * ring in a mapped file, one process runs the producer threads, each with its
 * own producer handle, and the other one archiving thread that holds the
 * ring's consumer role and owns the file.
 *
 * <p>Kafka: {@code ship} and {@code verify-topic} use logbuf-kafka and the
 * Kafka client, which this module requires {@code static}: the Kafka client
 * is no named module, so the jlink image cannot hold it and runs without
 * them (both commands then say so). They run from the class-path launcher
 * {@code bin/logbuf-journal-kafka} beside the image, which puts every jar,
 * Kafka's included, on the class path.
 */
module dev.logbuf.demo {
    requires dev.logbuf.channel;
    requires info.picocli;
    requires static dev.logbuf.kafka;
    requires static kafka.clients;

    opens dev.logbuf.demo to info.picocli;
}
