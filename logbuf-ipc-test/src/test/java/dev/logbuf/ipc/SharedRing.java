package dev.logbuf.ipc;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.Producer;
import dev.logbuf.queue.QueueStats;
import dev.logbuf.queue.SpscQueue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A ring file opened in this process, SPSC or MPSC, behind one face: the
 * tests and child processes pick the kind with a word ({@code spsc},
 * {@code mpsc}) and otherwise do not care.
 *
 * <p>It holds the queue object for as long as the caller holds it, so the
 * mapping and the roles taken through it stay alive.
 */
final class SharedRing {

    /** The two kinds of ring, as named on child command lines. */
    enum Kind {
        SPSC, MPSC;

        static Kind parse(String word) {
            return valueOf(word.toUpperCase(Locale.ROOT));
        }

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final SpscQueue spsc;
    private final MpscQueue mpsc;

    private SharedRing(Kind kind, SpscQueue spsc, MpscQueue mpsc) {
        this.kind = kind;
        this.spsc = spsc;
        this.mpsc = mpsc;
    }

    /** Creates the ring file (it must not exist) and maps it. */
    static SharedRing create(Kind kind, Path file, int capacity) throws IOException {
        return kind == Kind.SPSC
                ? new SharedRing(kind, SpscQueue.createFile(file, capacity), null)
                : new SharedRing(kind, null, MpscQueue.createFile(file, capacity));
    }

    /** Maps an existing ring file, which must be of this kind. */
    static SharedRing attach(Kind kind, Path file) throws IOException {
        return kind == Kind.SPSC
                ? new SharedRing(kind, SpscQueue.attachFile(file), null)
                : new SharedRing(kind, null, MpscQueue.attachFile(file));
    }

    /** The file size a ring of {@code capacity} bytes needs. */
    static long sharedSize(Kind kind, int capacity) {
        return kind == Kind.SPSC ? SpscQueue.sharedSize(capacity) : MpscQueue.sharedSize(capacity);
    }

    Kind kind() {
        return kind;
    }

    /** Takes the ring's consumer role (see {@code q.consumer()}). */
    Consumer consumer() {
        return kind == Kind.SPSC ? spsc.consumer() : mpsc.consumer();
    }

    /** A producer: SPSC's one producer role, or a new MPSC producer slot. */
    Producer newProducer() {
        return kind == Kind.SPSC ? spsc.producer() : mpsc.newProducer();
    }

    /** Bytes reserved and not yet released. */
    long size() {
        return kind == Kind.SPSC ? spsc.size() : mpsc.size();
    }

    QueueStats stats() {
        return kind == Kind.SPSC ? spsc.stats() : mpsc.stats();
    }

    long creationId() {
        return kind == Kind.SPSC ? spsc.creationId() : mpsc.creationId();
    }

    boolean isShared() {
        return kind == Kind.SPSC ? spsc.isShared() : mpsc.isShared();
    }
}
