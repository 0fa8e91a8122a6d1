package dev.logbuf.kafka;

/**
 * Why a {@link KafkaShipper} stopped: a record Kafka refused (with
 * {@link BadRecords#STOP}), a topic or server that could not be reached
 * within the configured time, a refused authorisation, or fencing by another
 * shipper of the same ring. Nothing that was not shipped was released from
 * the ring.
 */
public final class ShipperException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The ring position of the record concerned, or -1. */
    private final long position;

    ShipperException(String message, long position, Throwable cause) {
        super(message, cause);
        this.position = position;
    }

    /**
     * The ring position of the record the error concerns, when it concerns
     * one.
     *
     * @return the position, or -1 when the error is not about one record
     */
    public long position() {
        return position;
    }
}
