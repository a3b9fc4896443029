package io.replisim.simulator.replication;

/** A transfer failed on the network (an outage, a reset connection). Always recoverable. */
final class NetworkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NetworkException(String reason) {
        super(reason);
    }
}
