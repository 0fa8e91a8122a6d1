package dev.logbuf.jcstress;

/**
 * Deliberately broken variants of logbuf's mechanism, each one edit to the
 * real source, with the scenarios that should catch it. {@link Check} builds
 * and runs them; docs/VERIFICATION.md records what they did.
 *
 * <p>{@code observableHere} says whether this machine (x86-64, two cores) can
 * show the bug at all. x86 keeps stores in order with stores and loads in
 * order with loads, so a release store weakened to a plain one, or an acquire
 * load weakened to a plain one, changes nothing the hardware does; only the
 * JIT could reorder around it, and it has no reason to here. Store-to-load
 * reordering (the store buffer) is real on x86, so a missing full fence is
 * visible, and so is any bug of interleaving (a step done in the wrong order,
 * a lost update, a missing re-check).
 */
enum Broken {

    PLAIN_HEADER_PUBLISH("plain-header-publish",
            "the commit publishes the header with a plain store instead of a release store",
            "dev/logbuf/queue/Ring.java",
            "LONGS.setRelease(memory, offset, header);",
            "LONGS.set(memory, offset, header);",
            "jcstress\\.(Publication|Abort|Wrap)\\.",
            false, "x86 does not reorder the payload stores after the header store"),

    PLAIN_HEADER_READ("plain-header-read",
            "the consumer reads the header with a plain load instead of an acquire load",
            "dev/logbuf/queue/Ring.java",
            "return (long) LONGS.getAcquire(memory, offset);",
            "return (long) LONGS.get(memory, offset);",
            "jcstress\\.(Publication|Abort|Wrap)\\.",
            false, "x86 does not reorder the payload loads before the header load"),

    PLAIN_HEAD_RELEASE("plain-head-release",
            "the consumer publishes head with a plain store instead of a release store",
            "dev/logbuf/queue/Ring.java",
            "LONGS.setRelease(memory, headIndex, head);",
            "LONGS.set(memory, headIndex, head);",
            "(Reuse|Control)\\.",
            false, "x86 does not reorder the zeroing stores after the head store"),

    ZERO_AFTER_RELEASE("zero-after-release",
            "a released record is zeroed after the head store instead of before it",
            "dev/logbuf/queue/Consumer.java",
            "        ring.zero(offset, size);\n        advance(head + size);",
            "        advance(head + size);\n        ring.zero(offset, size);",
            "Reuse.SingleRead",
            true, ""),

    BATCH_ZERO_AFTER_RELEASE("batch-zero-after-release",
            "a batch is zeroed after its head store instead of before it",
            "dev/logbuf/queue/Consumer.java",
            // read's own give-back at the end of the batch, not the shared release(from, to) helper
            // (tryClaim and controlledRead use it too): the edit stays specific to the batch read
            "            countConsumed(count, bytes);\n            release(start, head);",
            "            countConsumed(count, bytes);\n"
                    + "            if (head != start) {\n                advance(head);\n                ring.zeroRange(start, head);\n            }",
            "Reuse.BatchRead",
            true, ""),

    HELD_ZERO_AFTER_RELEASE("held-zero-after-release",
            "releaseHeld(n) zeroes the records it gives back after the head store instead of before it",
            "dev/logbuf/queue/Consumer.java",
            // releaseHeld(n)'s own call of the shared release(from, to), so the edit stays specific to it
            "        release(from, to);\n        heldTo = stillHeldTo;",
            "        advance(to);\n" + Widen.PAUSE + "        ring.zeroRange(from, to);\n        heldTo = stillHeldTo;",
            "Reuse.PartialRelease",
            true, "its window is a few nanoseconds wide, so the edit pauses in it (Widen)"),

    COMMIT_ZERO_AFTER_RELEASE("commit-zero-after-release",
            "at a controlled read's COMMIT, the records given back are zeroed after the head store instead of before it",
            "dev/logbuf/queue/Consumer.java",
            // the COMMIT's own call of the shared release(from, to), so the edit stays specific to it
            "                    release(start, head);\n                    start = head;",
            "                    advance(head);\n" + Widen.PAUSE + "                    ring.zeroRange(start, head);\n                    start = head;",
            "Control.CommitMidRead",
            true, "its window is a few nanoseconds wide, so the edit pauses in it (Widen)"),

    COMMIT_KEEPS_START("commit-keeps-start",
            "a controlled read's COMMIT gives its bytes back but does not move the start of what is still to give back, "
                    + "so the read's end zeroes those bytes again",
            "dev/logbuf/queue/Consumer.java",
            "                    start = head;\n                    lapEnd = head + ring.capacity;",
            "                    lapEnd = head + ring.capacity;",
            "Control.CommitMidRead",
            true, ""),

    ABORT_CONSUMES("abort-consumes",
            "a controlled read's ABORT consumes the record in hand (zeroed and given back with the others) instead of leaving it",
            "dev/logbuf/queue/Consumer.java",
            "                    if (action == ControlledRecordHandler.Action.ABORT) {\n                        break;\n                    }",
            "                    if (action == ControlledRecordHandler.Action.ABORT) {\n"
                    + "                        head += RecordDescriptor.recordSize(length);\n                        break;\n                    }",
            // Disconnect.TryControlledRead catches it too (the aborted record is lost: [1, 0], [-1, 0]);
            // left out here to keep the jcstress profile short
            "Control.AbortLeavesRecord",
            true, ""),

    PUT_BACK_RELEASES("put-back-releases",
            "ReadClaim.putBack() zeroes the record and gives it back (as close() does) instead of leaving it in the ring",
            "dev/logbuf/queue/ReadClaim.java",
            "        checkOpen();\n        open = false;\n    }",
            "        checkOpen();\n        close();\n    }",
            // Disconnect.TryControlledRead catches it too (its peek puts the record back: [1, 0]);
            // left out here to keep the jcstress profile short
            "Control.PutBack",
            true, ""),

    RACY_TAIL_CLAIM("racy-tail-claim",
            "MPSC producers reserve space by reading tail and then writing it, instead of a CAS",
            "dev/logbuf/queue/Ring.java",
            "return LONGS.compareAndSet(memory, tailIndex, expected, update);",
            "if ((long) LONGS.getVolatile(memory, tailIndex) != expected) { return false; } "
                    + "LONGS.setVolatile(memory, tailIndex, update); return true;",
            "LastBytes",
            true, ""),

    NO_WAKE_FENCE("no-wake-fence",
            "wake() loads the waiter without the full fence after the commit",
            "dev/logbuf/channel/Shared.java",
            "        VarHandle.fullFence();\n        final Thread parked",
            "        final Thread parked",
            "WakeupHandshake",
            true, ""),

    WAKE_WITHOUT_TAKING("wake-without-taking",
            "a sender (its commit or wake()) that sees the receiver announced unparks it without clearing the "
                    + "announcement, so every commit until the receiver clears it unparks it again",
            "dev/logbuf/channel/Shared.java",
            "if (WAITER.compareAndSet(this, parked, (Thread) null)) {",
            "if (parked != null) {",
            "(WakeupTakenOnce|SelfWakeAnnounced)",
            true, ""),

    COMMIT_DOES_NOT_WAKE("commit-does-not-wake",
            "the commit does not look for a parked receiver: a sender that does not call wake() leaves it "
                    + "parked for its whole slice",
            "dev/logbuf/queue/WriteClaim.java",
            "            hook.committed(); // after the header",
            "            // hook.committed(); // after the header",
            "SelfWakeAnnounced",
            true, ""),

    NO_WAITER_FENCE("no-waiter-fence",
            "the receiver announces itself as the waiter without the full fence before its second look",
            "dev/logbuf/channel/Shared.java",
            "        WAITER.setOpaque(this, thread);\n        VarHandle.fullFence();",
            "        WAITER.setOpaque(this, thread);",
            "WakeupHandshake",
            true, ""),

    NO_LAST_LOOK("no-last-look",
            "the receiver reports the disconnect as soon as it reads it, without looking at the ring again",
            "dev/logbuf/channel/Receiver.java",
            "            final ReadClaim record = consumer.tryClaim();\n            if (record != null) {\n"
                    + "                return record;\n            }\n"
                    + "            if (consumer.unblock() == Unblock.RECOVERED) {\n"
                    + "                return tryRecv(); // a dead claim held back the rest\n            }\n"
                    + "            throw sendersGone();",
            "            throw sendersGone();",
            "Disconnect.(TryRecv|Recv|CloseAbortsOpenClaim)",
            true, ""),

    NO_LAST_BATCH("no-last-batch",
            "tryRead reports the disconnect as soon as it reads it, without a last batch read",
            "dev/logbuf/channel/Receiver.java",
            "            final int last = consumer.read(handler, limit);\n            if (last != 0) {\n"
                    + "                return last;\n            }\n"
                    + "            if (consumer.unblock() == Unblock.RECOVERED) {\n"
                    + "                return tryRead(handler, limit); // a dead claim held back the rest\n            }\n"
                    + "            throw sendersGone();",
            "            throw sendersGone();",
            "Disconnect.(TryRead|Read)",
            true, ""),

    NO_CONTROLLED_LAST_LOOK("no-controlled-last-look",
            "tryControlledRead reports the disconnect when its read consumed nothing, without a last look for a record left in the ring",
            "dev/logbuf/channel/Receiver.java",
            "        final ReadClaim next = consumer.tryClaim();\n        if (next != null) {\n"
                    + "            next.putBack();\n            return 0;\n        }\n",
            "",
            "Disconnect.TryControlledRead",
            true, ""),

    SEND_LOSES_INTERRUPT("send-loses-interrupt",
            "a waiting send clears an interrupt and goes on waiting instead of throwing InterruptedException",
            "dev/logbuf/channel/Sender.java",
            "            if (Thread.interrupted()) {\n                throw new InterruptedException();\n            }",
            "            Thread.interrupted(); // swallowed",
            "InterruptedSend.Interrupted",
            true, ""),

    INTERRUPT_AFTER_CLAIM("interrupt-after-claim",
            "a waiting send looks at the interrupt after its attempt, not before, and throws with the claim it just won left open",
            "dev/logbuf/channel/Sender.java",
            "            if (Thread.interrupted()) {\n                throw new InterruptedException();\n            }\n"
                    + "            final WriteClaim claim = attemptAgain(length);",
            "            final WriteClaim claim = attemptAgain(length);\n"
                    + "            if (Thread.interrupted()) {\n                throw new InterruptedException();\n            }",
            "InterruptedSend.Interrupted",
            true, ""),

    TIMEOUT_LEAKS_CLAIM("timeout-leaks-claim",
            "a timed send looks at its deadline before the claim its last attempt won, and returns null with that claim left open",
            "dev/logbuf/channel/Sender.java",
            "            if (claim != null) {\n                return claim;\n            }\n"
                    + "            if (timed && System.nanoTime() - deadline >= 0) {\n                return null;\n            }",
            "            if (timed && System.nanoTime() - deadline >= 0) {\n                return null;\n            }\n"
                    + "            if (claim != null) {\n                return claim;\n            }",
            "InterruptedSend.TimedOut",
            true, ""),

    LEAVE_BEFORE_ABORT("leave-before-abort",
            "a closing producer handle leaves the queue before it aborts its open claim",
            "dev/logbuf/queue/ProducerHandle.java",
            "        claim.close(); // aborts it if open: the consumer must never wait on it\n"
                    + "        leaving.clean(); // leaves after the abort, so whoever sees the disconnect sees the abort",
            "        leaving.clean();\n        claim.close();",
            "(Disconnect.CloseAbortsOpenClaim|Recovery.CloseWithOpenClaim)",
            true, ""),

    RACY_SENDER_COUNT("racy-sender-count",
            "a new producer handle (duplicate()) is counted with a volatile read and a volatile write instead of a CAS",
            "dev/logbuf/queue/Handles.java",
            "            if (PRODUCERS.compareAndSet(this, open, open + 1)) {\n                break;\n            }",
            "            PRODUCERS.setVolatile(this, open + 1);\n            break;",
            "Duplicate",
            true, ""),

    PLAIN_RECOVERY("plain-recovery",
            "unblock() recovers a dead claim with a release store of the skip instead of a CAS on its header",
            "dev/logbuf/queue/Consumer.java",
            "        if (ring.casHeader(offset, header, RecordDescriptor.skip(RecordDescriptor.span(header)))) {",
            "        ring.publishRelease(offset, RecordDescriptor.skip(RecordDescriptor.span(header)));\n        if (true) {",
            "Recovery.LateCommit",
            true, ""),

    OWNER_IGNORES_INTENT("owner-ignores-intent",
            "on a shared MPSC ring the consumer takes a claim with a live holder's id for the holder's own without "
                    + "asking whether it lies inside the holder's intent, so a dead claim whose id came round reads as live",
            "dev/logbuf/queue/SharedHandles.java",
            "            if (start == RingFile.NO_INTENT || position < start || position >= start + file.intentSize(slot)) {",
            "            if (false) {",
            "queue\\.Shared\\.IdCameRound",
            true, ""),

    OWNER_AFTER_MARK("owner-after-mark",
            "a claim's owner thread is written after the release store that marks the claim, not before",
            "dev/logbuf/queue/ProducerHandle.java",
            "            claimant.owner = current;\n"
                    + "        }\n"
                    + "        return claim;\n"
                    + "    }\n"
                    + "\n"
                    + "    /** @throws IllegalStateException if this handle is closed */\n"
                    + "    final void checkNotClosed() {\n"
                    + "        if (closed) {\n"
                    + "            throw new IllegalStateException(\"this producer is closed\");\n"
                    + "        }\n"
                    + "    }\n"
                    + "\n"
                    + "    /**\n"
                    + "     * Marks the record reserved at {@code position} in progress and opens the\n"
                    + "     * claim on it; or, when another thread began a claim on this handle since\n"
                    + "     * this one did (two threads using one handle at once), withdraws the\n"
                    + "     * reservation and throws, leaving the claim flyweight to the other thread.\n"
                    + "     */\n"
                    + "    final WriteClaim open(long position, int length, int recordSize) {\n"
                    + "        final Claimant claimant = this.claimant;\n"
                    + "        final int offset = ring.offset(position);\n"
                    + "        // release (in claimAt): a consumer that reads this position, or a later one, sees how the\n"
                    + "        // handle ended its earlier claims; the mark's release below publishes it with the mark\n"
                    + "        claimant.claimAt(position);\n"
                    + "        final long mark = RecordDescriptor.inProgress(claimant.id, recordSize);\n"
                    + "        // release: pairs with the consumer's headerAcquire; a consumer that sees the mark sees its owner\n"
                    + "        ring.publishRelease(offset, mark);\n",
            "        }\n"
                    + "        return claim;\n"
                    + "    }\n"
                    + "\n"
                    + "    /** @throws IllegalStateException if this handle is closed */\n"
                    + "    final void checkNotClosed() {\n"
                    + "        if (closed) {\n"
                    + "            throw new IllegalStateException(\"this producer is closed\");\n"
                    + "        }\n"
                    + "    }\n"
                    + "\n"
                    + "    /**\n"
                    + "     * Marks the record reserved at {@code position} in progress and opens the\n"
                    + "     * claim on it; or, when another thread began a claim on this handle since\n"
                    + "     * this one did (two threads using one handle at once), withdraws the\n"
                    + "     * reservation and throws, leaving the claim flyweight to the other thread.\n"
                    + "     */\n"
                    + "    final WriteClaim open(long position, int length, int recordSize) {\n"
                    + "        final Claimant claimant = this.claimant;\n"
                    + "        final int offset = ring.offset(position);\n"
                    + "        // release (in claimAt): a consumer that reads this position, or a later one, sees how the\n"
                    + "        // handle ended its earlier claims; the mark's release below publishes it with the mark\n"
                    + "        claimant.claimAt(position);\n"
                    + "        final long mark = RecordDescriptor.inProgress(claimant.id, recordSize);\n"
                    + "        // release: pairs with the consumer's headerAcquire; a consumer that sees the mark sees its owner\n"
                    + "        ring.publishRelease(offset, mark);\n"
                    + Widen.PAUSE
                    + "        claimant.owner = Thread.currentThread();\n",
            "Recovery.(OwnerBeforeMark|CommitThenClose|CloseWithOpenClaim)",
            true, "its window is one store wide (1 to 54 forbidden samples a run without a pause), so the edit pauses in it (Widen)"),

    CLAIM_POSITION_AFTER_MARK("claim-position-after-mark",
            "a claim's position is written into its handle after the release store that marks the claim, not before, "
                    + "so a consumer that acquires the mark may read the handle's earlier position and take the live claim for an orphan",
            "dev/logbuf/queue/ProducerHandle.java",
            "        claimant.claimAt(position);\n"
                    + "        final long mark = RecordDescriptor.inProgress(claimant.id, recordSize);\n"
                    + "        // release: pairs with the consumer's headerAcquire; a consumer that sees the mark sees its owner\n"
                    + "        ring.publishRelease(offset, mark);\n",
            "        final long mark = RecordDescriptor.inProgress(claimant.id, recordSize);\n"
                    + "        ring.publishRelease(offset, mark);\n"
                    + Widen.PAUSE
                    + "        claimant.claimAt(position);\n",
            "Recovery.(OwnerBeforeMark|CommitThenClose|ClaimAgain)",
            true, "its window is one store wide, so the edit pauses in it (Widen)"),

    CLAIM_ENDED_BEFORE_HEADER("claim-ended-before-header",
            "a commit says its handle has no claim in progress before it stores the committed header, not after, "
                    + "so a consumer that reads that may recover the claim the commit is about to publish",
            "dev/logbuf/queue/WriteClaim.java",
            "            ring.publishRelease(offset, committed);\n"
                    + "        } else if (endElsewhere(committed)) {\n",
            "            claimant.claimEnded();\n"
                    + Widen.PAUSE
                    + "            ring.publishRelease(offset, committed);\n"
                    + "        } else if (endElsewhere(committed)) {\n",
            "Recovery.(OwnerBeforeMark|ClaimAgain)",
            true, "its window is one store wide, so the edit pauses in it (Widen)"),

    OWNER_IGNORES_CLAIM_POSITION("owner-ignores-claim-position",
            "the consumer takes a claim in progress for its live owner's without asking whether the handle's claim is "
                    + "still there, so a claim that two threads on one handle orphaned blocks the ring for as long as they live, "
                    + "and so does a departed handle's claim whose id came round to a live handle",
            "dev/logbuf/queue/Handles.java",
            "if (claimant == null || claimant.claimAtAcquire() != position) {",
            "if (claimant == null) {",
            "Recovery.(Orphaned|TwoThreadsOneHandle|IdCameRound)",
            true, ""),

    PLAIN_END_ELSEWHERE("plain-end-elsewhere",
            "a commit from a thread that is not the claim's owner uses the owner's release store instead of the CAS",
            "dev/logbuf/queue/WriteClaim.java",
            "        if (claimant.owner == Thread.currentThread()) {\n"
                    + "            if (recordSize < span) {",
            "        if (true) {\n"
                    + "            if (recordSize < span) {",
            "Recovery.LateCommit",
            true, ""),

    INTENT_AFTER_CAS("intent-after-cas",
            "an MPSC producer on a shared ring writes its intent after its successful CAS on the tail, not before the CAS",
            "dev/logbuf/queue/MpscProducer.java",
            "            if (file != null) {\n"
                    + "                // shared ring: what this handle is about to reserve, written before the CAS, so the\n"
                    + "                // consumer knows whose it is if this process dies before marking it\n"
                    + "                file.intend(SharedHandles.slot(claimant.id), tail, reserve);\n"
                    + "            }\n"
                    + "            // volatile CAS: orders this reservation against every other producer's\n"
                    + "            if (!ring.casTail(tail, tail + reserve)) {\n"
                    + "                if (file != null) {\n"
                    + "                    file.forgetIntent(SharedHandles.slot(claimant.id));\n"
                    + "                }\n"
                    + "                continue;\n"
                    + "            }\n",
            "            if (!ring.casTail(tail, tail + reserve)) {\n"
                    + "                continue;\n"
                    + "            }\n"
                    + Widen.PAUSE
                    + "            if (file != null) {\n"
                    + "                file.intend(SharedHandles.slot(claimant.id), tail, reserve);\n"
                    + "            }\n",
            "queue\\.Shared\\.LiveOwnerNotTaken",
            true, "its window is the few instructions between the live CAS and the intent, against the consumer's look "
                    + "at all 256 slots (6 to 40 forbidden samples a run without a pause), so the edit pauses in it (Widen)"),

    RECOVER_LIVE_INTENT("recover-live-intent",
            "the consumer's search for the owner of an unmarked reservation ignores whether a covering intent's slot "
                    + "is held by a live process: live intents count as dead ones",
            "dev/logbuf/queue/SharedHandles.java",
            "            if (heldByLive(file.stateAcquire(slot))) {\n"
                    + "                return -1; // a live producer may own it, and mark it any moment\n"
                    + "            }\n",
            "",
            // LiveOwnerNotTaken catches it too, rarely (the look must end before the live mark); left out
            // here to keep the jcstress profile short
            "queue\\.Shared\\.PausedLiveProducer",
            true, ""),

    RECOVER_TO_NEXT_HEADER("recover-to-next-header",
            "the consumer recovers an unmarked reservation without looking at intents (Agrona's unblock): "
                    + "a skip from the zero header to the next word that is not zero (a header, it assumes), or to the tail",
            "dev/logbuf/queue/SharedHandles.java",
            "        long ownerStart = Long.MIN_VALUE;\n"
                    + "        long ownerEnd = -1;\n"
                    + "        boolean ambiguous = false;\n"
                    + "        for (int slot = 0; slot < file.slots; slot++) {\n"
                    + "            final long start = file.intentStartAcquire(slot);\n"
                    + "            if (start == RingFile.NO_INTENT || start > position) {\n"
                    + "                continue;\n"
                    + "            }\n"
                    + "            final long end = start + file.intentSize(slot);\n"
                    + "            if (end <= position) {\n"
                    + "                continue;\n"
                    + "            }\n"
                    + "            if (heldByLive(file.stateAcquire(slot))) {\n"
                    + "                return -1; // a live producer may own it, and mark it any moment\n"
                    + "            }\n"
                    + "            if (start > ownerStart) {\n"
                    + "                ownerStart = start;\n"
                    + "                ownerEnd = end;\n"
                    + "                ambiguous = false;\n"
                    + "            } else if (start == ownerStart && end != ownerEnd) {\n"
                    + "                ambiguous = true;\n"
                    + "            }\n"
                    + "        }\n"
                    + "        if (ownerEnd < 0 || ambiguous) {\n"
                    + "            return -1;\n"
                    + "        }\n",
            "        final long tail = ring.tailAcquire();\n"
                    + "        long ownerEnd = position + RecordDescriptor.ALIGNMENT;\n"
                    + "        while (ownerEnd < tail && ring.headerAcquire(ring.offset(ownerEnd)) == RecordDescriptor.UNPUBLISHED) {\n"
                    + "            ownerEnd += RecordDescriptor.ALIGNMENT;\n"
                    + "        }\n"
                    + "        ownerEnd = Math.min(ownerEnd, tail);\n",
            // PausedLiveProducer catches it in every sample and LiveOwnerNotTaken rarely; left out here to keep
            // the jcstress profile short
            "queue\\.Shared\\.DeadReservationAmongLive",
            true, ""),

    NO_RELEASE_COMPLETION("no-release-completion",
            "a consumer taking the role over from a dead one does not complete the release that one announced",
            "dev/logbuf/queue/SharedHandles.java",
            "            if (file.casConsumer(word, self)) {\n"
                    + "                completeRelease(file.ring);\n",
            "            if (file.casConsumer(word, self)) {\n",
            "queue\\.Shared\\.ConsumerTakeover",
            true, ""),

    NO_RELEASE_ANNOUNCEMENT("no-release-announcement",
            "the shared ring's consumer zeroes what it releases without announcing the release first "
                    + "(Ring.announceRelease stores nothing)",
            "dev/logbuf/queue/Ring.java",
            "        LONGS.setOpaque(memory, releasingIndex, to);\n        VarHandle.storeStoreFence();\n",
            "",
            // not required by the jcstress profile (see requiredInProfile): run by hand
            "queue\\.Shared\\.(ConsumerTakeover|SpscTakeoverDuringRelease)",
            true, ""),

    FIND_TAIL_IGNORES_RELEASE("find-tail-ignores-release",
            "an SPSC producer taking over from a dead one takes the first zero header for the tail, without looking "
                    + "at the consumer's announced release",
            "dev/logbuf/queue/SpscProducer.java",
            "            // acquire: pairs with announceRelease; a zero from a release means the release is announced\n"
                    + "            final long releasing = ring.releasingAcquire();\n"
                    + "            if (releasing <= position) {\n"
                    + "                return position;\n"
                    + "            }\n"
                    + "            position = releasing;\n",
            "            return position;\n",
            "queue\\.Shared\\.SpscTakeoverDuringRelease",
            true, "");

    /**
     * A pause written into a variant's edit between the two steps it puts in
     * the wrong order, where a thread descheduled at the worst moment would
     * stop. Some of those windows are a store or a few instructions wide:
     * the other actor must land in them, and without the pause it did in as
     * few as 1 sample of a run, so a bounded run could miss the bug twice.
     * The pause (a few microseconds of {@code Thread.onSpinWait()}) changes
     * no order of the variant: it only makes the interleaving that shows the
     * damage common, so what is proven is that the scenario recognises the
     * damage whenever that interleaving happens. The real code never pauses.
     */
    private static final class Widen {

        static final String PAUSE = "        for (int widen = 0; widen < 1_000; widen++) {\n"
                + "            Thread.onSpinWait();\n"
                + "        }\n";

        private Widen() {
        }
    }

    private final String id;
    private final String what;
    private final String file;
    private final String find;
    private final String replace;
    private final String scenarios;
    private final boolean observableHere;
    private final String why;

    Broken(String id, String what, String file, String find, String replace, String scenarios,
            boolean observableHere, String why) {
        this.id = id;
        this.what = what;
        this.file = file;
        this.find = find;
        this.replace = replace;
        this.scenarios = scenarios;
        this.observableHere = observableHere;
        this.why = why;
    }

    String id() {
        return id;
    }

    String what() {
        return what;
    }

    /** The source file the edit applies to, relative to a module's src/main/java. */
    String file() {
        return file;
    }

    /** The jcstress test selector (a regular expression) of the scenarios that should catch it. */
    String scenarios() {
        return scenarios;
    }

    boolean observableHere() {
        return observableHere;
    }

    /**
     * Whether the build's jcstress profile ({@code mvn verify -Pjcstress},
     * what CI runs) requires this variant to be caught: every variant this
     * machine can expose, but {@code no-release-announcement}, left out for
     * time: the bounded run would show it as {@code no-release-completion}
     * shows, by the same outcome of the same scenario (a takeover that finds
     * no release to complete). Run it by hand ({@code Check broken <id>}).
     * The variants whose window is a few instructions wide pause inside it
     * ({@link Widen}), so a bounded run catches them every time.
     */
    boolean requiredInProfile() {
        return observableHere && this != NO_RELEASE_ANNOUNCEMENT;
    }

    /**
     * Whether this variant's forbidden outcomes show in many samples of every
     * result (hundreds to hundreds of thousands in a bounded run, not a few
     * dozen): one short iteration per result is enough to catch it, so
     * {@link Check} first runs it with {@code -iters 1 -time 100} in place of
     * the options given, and only a miss gets the second run, with the
     * options as given. Keeps the jcstress profile short; the rare catches (the
     * fences, the zeroing orders, the disconnect checks) keep the full run.
     */
    boolean frequent() {
        return switch (this) {
            case RACY_TAIL_CLAIM, PLAIN_RECOVERY, PLAIN_END_ELSEWHERE, ABORT_CONSUMES, PUT_BACK_RELEASES,
                    NO_CONTROLLED_LAST_LOOK, SEND_LOSES_INTERRUPT, INTERRUPT_AFTER_CLAIM, TIMEOUT_LEAKS_CLAIM,
                    RECOVER_LIVE_INTENT, RECOVER_TO_NEXT_HEADER, NO_RELEASE_COMPLETION, NO_RELEASE_ANNOUNCEMENT,
                    FIND_TAIL_IGNORES_RELEASE, COMMIT_ZERO_AFTER_RELEASE, OWNER_AFTER_MARK, INTENT_AFTER_CAS,
                    OWNER_IGNORES_INTENT, CLAIM_POSITION_AFTER_MARK, CLAIM_ENDED_BEFORE_HEADER,
                    OWNER_IGNORES_CLAIM_POSITION, WAKE_WITHOUT_TAKING, COMMIT_DOES_NOT_WAKE -> true;
            default -> false;
        };
    }

    String why() {
        return why;
    }

    /**
     * The source with this variant's edit made.
     *
     * @throws IllegalStateException unless the text to replace occurs exactly once
     */
    String apply(String source) {
        final int at = source.indexOf(find);
        if (at < 0 || source.indexOf(find, at + 1) >= 0) {
            throw new IllegalStateException(id + ": expected exactly one occurrence of «" + find + "» in " + file
                    + "; the real code changed, so update this variant");
        }
        return source.substring(0, at) + replace + source.substring(at + find.length());
    }
}
