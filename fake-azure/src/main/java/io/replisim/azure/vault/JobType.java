package io.replisim.azure.vault;

import java.util.List;

/**
 * The vault's job kinds, named as the portal's Jobs tab names them, each with its ordered steps.
 * Enable protection's steps follow the Hyper-V WMI calls the Provider makes; the other step lists
 * are replisim's reading of the portal and not confirmed by public documentation.
 */
public enum JobType {
    ENABLE_PROTECTION("Enable protection",
            "Prerequisites check", "Create replication relationship", "Start replication"),
    FINALIZE_PROTECTION("Finalize protection",
            "Prerequisites check", "Apply network settings", "Apply post-replication settings"),
    RESYNCHRONIZE("Resynchronize",
            "Prerequisites check", "Compare and synchronize blocks", "Resume replication"),
    TEST_FAILOVER("Test failover",
            "Prerequisites check", "Create test virtual machine", "Start the virtual machine"),
    TEST_FAILOVER_CLEANUP("Test failover cleanup",
            "Prerequisites check", "Delete test virtual machine", "Complete test failover"),
    PLANNED_FAILOVER("Planned failover",
            "Prerequisites check", "Shut down the virtual machine", "Synchronize data",
            "Create the virtual machine in Azure", "Start the virtual machine"),
    UNPLANNED_FAILOVER("Unplanned failover",
            "Prerequisites check", "Create the virtual machine in Azure", "Start the virtual machine"),
    COMMIT("Commit",
            "Prerequisites check", "Commit failover"),
    REPROTECT("Reprotect",
            "Prerequisites check", "Reverse replication direction", "Start replication"),
    DISABLE_REPLICATION("Disable replication",
            "Prerequisites check", "Remove replication relationship", "Delete replica data");

    private final String displayName;
    private final List<String> steps;

    JobType(String displayName, String... steps) {
        this.displayName = displayName;
        this.steps = List.of(steps);
    }

    /** The job's name as the Jobs tab shows it. */
    public String displayName() {
        return displayName;
    }

    /** The step names, in the order they run. */
    public List<String> steps() {
        return steps;
    }
}
