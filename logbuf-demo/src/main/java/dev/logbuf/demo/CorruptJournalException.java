package dev.logbuf.demo;

/**
 * A journal that does not verify: its message is one line naming the first
 * problem found (the frame, its byte offset, what was expected).
 */
final class CorruptJournalException extends Exception {

    private static final long serialVersionUID = 1L;

    CorruptJournalException(String message) {
        super(message);
    }
}
