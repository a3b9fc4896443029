package io.replisim.simulator.replication;

/**
 * A piece of replication work that may fail and then runs again: on the retry ladder after a
 * recoverable error, or once an administrator resumes after a non-recoverable one
 * ({@link Retries}). A {@code key} marks work that must not be queued twice for the
 * administrator: a failed job tried again from its step, the start of a resync. Failing again
 * while it waits (an administrator's second try) leaves one copy waiting.
 */
record Operation(String key, Runnable body) implements Runnable {

    /** Work run again as it is. */
    static Operation of(Runnable body) {
        return body instanceof Operation op ? op : new Operation(null, body);
    }

    /** Work queued at most once for the administrator, under {@code key}. */
    static Operation once(String key, Runnable body) {
        return new Operation(key, body);
    }

    @Override
    public void run() {
        body.run();
    }
}
