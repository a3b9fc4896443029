package io.replisim.hyperv.vhdx;

import java.io.IOException;

/**
 * A differencing disk's parent cannot be used: it vanished, cannot be opened, or was modified
 * after the child was created (its DataWriteGuid no longer matches the child's parent_linkage).
 * Hyper-V replication treats a broken chain as a non-recoverable error.
 */
public final class BrokenChainException extends IOException {

    private static final long serialVersionUID = 1L;

    public BrokenChainException(String message) {
        super(message);
    }

    public BrokenChainException(String message, Throwable cause) {
        super(message, cause);
    }
}
