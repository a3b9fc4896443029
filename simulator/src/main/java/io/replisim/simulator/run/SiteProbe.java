package io.replisim.simulator.run;

import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.vault.RecoveryServicesVault;
import io.replisim.hyperv.Fidelity;
import io.replisim.hyperv.HyperVHost;
import io.replisim.simulator.trace.TraceRecord;
import java.time.Instant;
import java.util.List;

/**
 * Watches one site's run from outside the replication stack (the invariants' ground truth,
 * docs/hunt.md, Ground truth): it is told of every trace record the moment the stack writes it, on the
 * site's thread, and may then read the site's fakes. It must change nothing: no writes to the
 * fakes, no random draws, no events on the kernel; the run's trace is the same with or without it.
 */
public interface SiteProbe {
    /** The stack just wrote {@code record}; the fakes are as they are at that instant. */
    void seen(TraceRecord record);

    /** Makes one probe per site (sites of a scenario of several run on threads of their own). */
    @FunctionalInterface
    interface Factory {
        SiteProbe attach(Fakes fakes);
    }

    /**
     * What a probe may read: the site's Hyper-V hosts (their disks and volumes), its storage
     * account as it is, without the scenario's storage faults in front, and its part of the vault.
     *
     * @param site        the site's name
     * @param start       the run's start: a record's time is nanoseconds after it
     * @param fidelity    what the disks hold: bytes (real content), model (content versions only) or flow (counts)
     * @param contentSeed the seed the workloads' written content is derived from
     */
    record Fakes(String site, Instant start, Fidelity fidelity, long contentSeed, List<HyperVHost> hosts,
                 BlobStorage storage, RecoveryServicesVault vault) {
        public Fakes {
            hosts = List.copyOf(hosts);
        }
    }
}
