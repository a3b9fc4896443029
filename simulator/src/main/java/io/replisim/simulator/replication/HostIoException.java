package io.replisim.simulator.replication;

import java.io.IOException;

/** An I/O error on a Hyper-V host (its volume, disks or logs), carried through the stack's callbacks. */
final class HostIoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HostIoException(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
