package io.replisim.hyperv;

import java.io.IOException;

/** An {@code .hrl} log is damaged, truncated or was never sealed; it cannot be applied. */
public final class CorruptLogException extends IOException {

    private static final long serialVersionUID = 1L;

    CorruptLogException(String message) {
        super(message);
    }
}
