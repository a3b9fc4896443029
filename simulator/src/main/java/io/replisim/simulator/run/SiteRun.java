package io.replisim.simulator.run;

import io.replisim.azure.storage.MemoryBlobStorage;
import io.replisim.azure.vault.JobSummary;
import io.replisim.simulator.fault.StorageFaults;
import io.replisim.simulator.kernel.Kernel;
import io.replisim.simulator.replication.ReplicationConfig;
import io.replisim.simulator.replication.ReplicationSite;
import io.replisim.simulator.replication.SiteSeries;
import io.replisim.simulator.replication.VmOutcome;
import io.replisim.simulator.trace.Trace;
import io.replisim.simulator.trace.TraceLevel;
import io.replisim.simulator.trace.TraceRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * One site's simulation: its own kernel (and so its own clock and events), its own part of the
 * vault and its storage, running the workload for the scenario's duration, then draining the
 * last logs and verifying the replicas. Sites share nothing while they run, so independent sites
 * can run on threads of their own; the run merges what they produced in a fixed order.
 */
final class SiteRun {
    /** Progress is reported between slices of simulated time this long (and at the end). */
    private static final int SLICES = 200;

    /** What a finished site hands back. */
    record Result(List<VmOutcome> outcomes, List<JobSummary> jobs, long endTime, long events, SiteSeries series) {}

    /** Told how far the site got: (simulated nanoseconds, kernel events so far). */
    interface Progress {
        void at(long simulated, long events);
    }

    private SiteRun() {}

    /**
     * Runs one site. {@code sink} receives the site's trace records that {@code level} keeps
     * (numbered from 0 within the site) on the site's thread; {@code storage} is where its
     * replicas go (null: its own in-memory account).
     */
    static Result run(ReplicationConfig config, Kernel kernel, String vaultName, long duration,
                      io.replisim.azure.storage.BlobStorage storage, TraceLevel level, Consumer<TraceRecord> sink,
                      Progress progress, Path exportDisks) throws IOException {
        return run(config, kernel, vaultName, duration, storage, StorageFaults.inFront(), level, sink, progress, exportDisks,
                false, null);
    }

    /**
     * As above, the storage faults striking as {@code storageFaults} says; with
     * {@code untilReplicating} the workload stops at the first slice by which every VM reached Replicating;
     * {@code probe} (null: none) watches the site from outside the stack.
     */
    static Result run(ReplicationConfig config, Kernel kernel, String vaultName, long duration,
                      io.replisim.azure.storage.BlobStorage storage, StorageFaults storageFaults, TraceLevel level,
                      Consumer<TraceRecord> sink, Progress progress, Path exportDisks, boolean untilReplicating,
                      SiteProbe.Factory probe) throws IOException {
        Trace trace = new Trace(kernel::now, level);
        trace.addSink(sink);
        io.replisim.azure.storage.BlobStorage account = storage != null ? storage : new MemoryBlobStorage(kernel.clock());
        try (ReplicationSite site = new ReplicationSite(kernel, trace, config, account, vaultName, storageFaults)) {
            if (probe != null) {
                SiteProbe watching = probe.attach(new SiteProbe.Fakes(config.site(), kernel.start(), config.fidelity(),
                        kernel.seed(), site.hosts(), account, site.vault()));
                trace.addSink(watching::seen);
            }
            site.measure(FleetSeries.binNanos(duration), duration,
                    config.hosts().stream().mapToInt(h -> h.vms().size()).sum() <= FleetSeries.FLEET_VMS);
            site.start();
            long slice = Math.max(1, duration / SLICES);
            while (kernel.now() < duration) {
                kernel.runUntil(Math.min(duration, kernel.now() + slice));
                progress.at(kernel.now(), kernel.eventsFired());
                if (untilReplicating && site.everyVmReachedReplicating()) {
                    break;
                }
            }
            site.stopWorkloadAndDrain();
            // Drain event by event until every VM shipped its last log (or waits for an administrator):
            // the clock must stop at the last event that mattered, not at a slice boundary.
            long cap = duration + site.maxDrain();
            while (site.draining() && kernel.nextEventTime() <= cap) {
                kernel.step();
                if ((kernel.eventsFired() & 1023) == 0) {
                    progress.at(duration, kernel.eventsFired());
                }
            }
            List<VmOutcome> outcomes = site.verify();
            if (exportDisks != null) {
                site.exportDisks(exportDisks);
            }
            progress.at(duration, kernel.eventsFired());
            return new Result(outcomes, site.vault().jobs(), kernel.now(), kernel.eventsFired(), site.series());
        }
    }
}
