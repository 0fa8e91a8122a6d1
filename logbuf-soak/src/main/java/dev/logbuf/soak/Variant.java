package dev.logbuf.soak;

import java.util.Locale;

/**
 * What the senders do besides committing records.
 *
 * <ul>
 * <li>{@link #PLAIN}: every claim is committed, each sender thread keeps one sender.</li>
 * <li>{@link #ABORTS}: a random share of claims (1 % by default) is aborted,
 *     by {@code abort()} or by closing the claim uncommitted; the receiver
 *     must never see them.</li>
 * <li>{@link #CHURN}: senders come and go: each sender thread sends a random
 *     number of records with a sender, {@code duplicate()}s a fresh one from
 *     it, closes the old one and goes on with the new one, under a new id.</li>
 * <li>{@link #ALL}: aborts and churn; some incarnations also end by closing
 *     the sender while a claim is open (the close aborts it).</li>
 * </ul>
 */
enum Variant {
    PLAIN(false, false),
    ABORTS(true, false),
    CHURN(false, true),
    ALL(true, true);

    private final boolean aborts;
    private final boolean churn;

    Variant(boolean aborts, boolean churn) {
        this.aborts = aborts;
        this.churn = churn;
    }

    boolean aborts() {
        return aborts;
    }

    boolean churn() {
        return churn;
    }

    /** The name on the command line. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The variant named {@code label} (any case), or null. */
    static Variant of(String label) {
        for (Variant v : values()) {
            if (v.label().equalsIgnoreCase(label)) {
                return v;
            }
        }
        return null;
    }
}
