package io.replisim.azure.vault;

/** Status of a job or of one of its steps, with the portal's wording. */
public enum JobStatus {
    NOT_STARTED("Not started"),
    IN_PROGRESS("In progress"),
    SUCCEEDED("Succeeded"),
    FAILED("Failed"),
    CANCELLED("Cancelled");

    private final String displayName;

    JobStatus(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** Whether nothing can change any more. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
