/**
 * SPSC and MPSC byte rings with claim/commit writes and claim/release reads.
 *
 * <h2>Using a queue</h2>
 * <pre>{@code
 * SpscQueue queue = SpscQueue.create(64 * 1024);      // rounded up to a power of two
 * SpscProducer producer = queue.producer();            // the producing thread's handle
 * Consumer consumer = queue.consumer();                // the consuming thread's handle
 *
 * try (WriteClaim claim = producer.tryClaim(12)) {     // null (skipped by try) when full
 *     if (claim != null) {
 *         claim.putLong(0, System.nanoTime()).putInt(8, 42);
 *         claim.commit();                              // close() without commit aborts
 *     }
 * }
 *
 * try (ReadClaim record = consumer.tryClaim()) {       // null when nothing is committed
 *     if (record != null) {
 *         long stamp = record.getLong(0);
 *         int value = record.getInt(8);
 *     }                                                // close() zeroes and releases
 * }
 * }</pre>
 *
 * <h2>Values and text in a claim</h2>
 * Indexed puts and gets count from the payload's first byte, are
 * bounds-checked against the claim, and are little-endian: {@code byte},
 * {@code short}, {@code char}, {@code int}, {@code long}, {@code float},
 * {@code double}. Text is encoded straight from any
 * {@link java.lang.CharSequence}, allocating nothing:
 * {@link dev.logbuf.queue.WriteClaim#putUtf8(int, CharSequence)} writes the
 * bytes of {@code String.getBytes(UTF_8)} (an unpaired surrogate becomes
 * {@code '?'}, as the JDK's encoder writes it),
 * {@link dev.logbuf.queue.WriteClaim#putUtf8Prefixed(int, CharSequence)} puts
 * a 4-byte length in front, {@link dev.logbuf.queue.WriteClaim#putAscii(int, CharSequence)}
 * refuses any char above U+007F, and {@link dev.logbuf.queue.Utf8#utf8Length(CharSequence)}
 * sizes a claim first. A put that does not fit writes nothing and throws
 * {@link java.lang.IndexOutOfBoundsException} naming the claim's length, the
 * index, the bytes needed and the bytes available. The reads append to a
 * {@link java.lang.StringBuilder} (or any {@link java.lang.Appendable}),
 * replacing malformed UTF-8 with U+FFFD as {@code new String(bytes, UTF_8)}
 * does; a batch-read handler, which gets a {@link java.nio.ByteBuffer}, decodes
 * with {@link dev.logbuf.queue.Utf8#decode(java.nio.ByteBuffer, int, int, StringBuilder)}.
 * <pre>{@code
 * try (WriteClaim claim = producer.tryClaim(8 + 4 + Utf8.utf8Length(message))) {
 *     if (claim != null) {
 *         claim.putLong(0, System.nanoTime()).putUtf8Prefixed(8, message);
 *         claim.commit();
 *     }
 * }
 * }</pre>
 *
 * <h2>Reading in batches, and records that cannot be taken now</h2>
 * {@link dev.logbuf.queue.Consumer#read(RecordHandler, int)} hands a batch to a
 * {@link dev.logbuf.queue.RecordHandler} and gives it back with one head
 * store. {@link dev.logbuf.queue.Consumer#controlledRead(ControlledRecordHandler, int)}
 * lets the handler decide after each record ({@link
 * dev.logbuf.queue.ControlledRecordHandler.Action}): go on, stop, leave the
 * record in the ring for next time, or give back what was read so far. A
 * single record can be put back with {@link dev.logbuf.queue.ReadClaim#putBack()}.
 * A record left in the ring is not zeroed and holds its bytes until consumed.
 *
 * <h2>Outcomes and misuse</h2>
 * Full and empty are return values ({@code null}), never exceptions. A length
 * that is zero, negative or above {@code maxRecordLength()} is an
 * {@link java.lang.IllegalArgumentException} naming the length and the bound;
 * asking a handle for a second claim while one is open, or using a claim after
 * it ended, is an {@link java.lang.IllegalStateException}. Either leaves the
 * ring as it was.
 *
 * <p>A producer handle is used by one thread at a time (hand it over between
 * claims, or give each thread its own with {@code duplicate()}). Two threads
 * using one handle at once is an error that logbuf reports without a cost on
 * the claim's fast path, so it is found on the paths a claim takes when
 * something is already wrong: an {@link java.lang.IllegalStateException}
 * names both threads and says to {@code duplicate()}. Sustained sharing is
 * reported; a single overlap may not be, and the records of overlapping
 * claims may be lost or garbled (or meet an
 * {@link java.lang.IndexOutOfBoundsException} from the shared claim). What
 * it never does is block the ring, as long as each thread ends the claims
 * it got, whatever they threw (try-with-resources does, as above; a claim a
 * live thread leaves open holds the ring with or without misuse): a claim
 * that the overlap left in progress, which its handle no longer points at,
 * is one nothing will end, and {@link dev.logbuf.queue.Consumer#unblock()}
 * steps over it even though its thread is alive.
 *
 * <h2>Dead producers, lifecycle and counters</h2>
 * A claim belongs to the thread that made it, and records come out in claim
 * order, so a claim that is never ended holds every record behind it. Each
 * claim is marked "in progress" with its claimant when it is made;
 * {@link dev.logbuf.queue.Consumer#unblock()} steps over a claim whose owner is
 * gone (its thread terminated, or its handle was closed or collected) and
 * reports one held by a live thread as a stall, freeing nothing
 * ({@link dev.logbuf.queue.StallListener}); {@link
 * dev.logbuf.queue.Consumer#unblockAfter(java.time.Duration)} makes that
 * automatic. Producer handles and the consumer are {@link
 * java.lang.AutoCloseable}; each side's {@code isDisconnected()} tells when the
 * other side has closed (an abandoned producer handle counts as closed once
 * collected). {@link dev.logbuf.queue.QueueStats} is a snapshot of the
 * positions and counters, kept per handle and summed when read.
 *
 * <h2>Rings shared between processes</h2>
 * {@link dev.logbuf.queue.MpscQueue#createFile(java.nio.file.Path, int)} lays
 * a ring out in a file (or any direct buffer: {@code create(ByteBuffer, int)})
 * that other processes join with {@code attachFile}/{@code attach}: MPSC
 * producers in any processes, one consumer process, each role recorded in the
 * file with its process id. A process that is gone is known by the OS's word:
 * its role is taken over, its claim in progress recovered; a consumer that
 * takes over resumes at the shared head. The consumer polls, waiting with a
 * {@link dev.logbuf.queue.Backoff}. The file layout, its versioning rule and
 * what survives which crash are in {@code docs/IPC.md}.
 *
 * <h2>Vocabulary of the implementation</h2>
 * Every access to memory shared between threads goes through a small method of
 * the package-private {@code Ring} whose name says its access mode:
 * <ul>
 *   <li>{@code …Acquire} reads with {@code VarHandle.getAcquire}: later reads
 *       and writes of this thread cannot move before it;</li>
 *   <li>{@code …Release} writes with {@code VarHandle.setRelease}: earlier
 *       reads and writes of this thread cannot move after it;</li>
 *   <li>{@code …Opaque} is a single untorn access with no ordering;</li>
 *   <li>{@code cas…} is a volatile compare-and-set;</li>
 *   <li>plain fields and plain buffer accesses are touched by one thread only,
 *       or are ordered by one of the above (each such site says which).</li>
 * </ul>
 * The record format lives in {@code RecordDescriptor}; nothing else knows
 * the header encoding.
 */
package dev.logbuf.queue;
