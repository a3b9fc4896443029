package io.replisim.azure.vault;

/** A replication policy value outside what ASR accepts; the message names field, value and range. */
public class PolicyValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public PolicyValidationException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The offending field, e.g. {@code copyFrequency}. */
    public String field() {
        return field;
    }
}
