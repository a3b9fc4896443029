package io.replisim.simulator.replication;

/**
 * Something that only a resynchronization can repair (a log that was not closed cleanly, a disk
 * changed behind the tracker's back): raised where it is found, handled by requiring a resync.
 */
final class ResyncTrigger extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    ResyncTrigger(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
