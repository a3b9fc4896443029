package io.replisim.simulator.run;

import io.replisim.azure.vault.JobSummary;
import io.replisim.simulator.kernel.Kernel;
import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.replication.ReplicationSite;
import io.replisim.simulator.replication.VmOutcome;
import io.replisim.simulator.scenario.Expectation;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.trace.Trace;
import io.replisim.simulator.trace.TraceEvent;
import io.replisim.simulator.trace.TraceJson;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one scenario with one seed: (scenario, seed) in, {@link RunRecord} out. No state outlives
 * a run, so runs can go in parallel in one JVM.
 */
public final class Simulator {
    /** Progress is reported between slices of simulated time this long (and at the end). */
    private static final int SLICES = 200;

    private Simulator() {}

    public static RunRecord run(Scenario scenario, RunOptions options) throws IOException {
        Scenario s = scenario.withSeed(options.seed());
        Kernel kernel = new Kernel(s.start().toInstant(), s.effectiveZone(), options.seed());
        Trace trace = new Trace(kernel::now);
        TraceJson json = options.trace() == null ? null : new TraceJson(options.trace(), kernel.start(), kernel.zone());
        if (json != null) {
            trace.addSink(json);
        }
        long duration = SimTime.of(s.duration());
        var policy = s.effectivePolicy();
        trace.emit(new TraceEvent.RunStarted(s.name(), options.seed(), s.effectiveFidelity().label(), options.azure(),
                iso(s.start()), s.effectiveZone().getId(), s.duration(), policy.copyFrequency(), policy.retention(),
                policy.appConsistentEvery()));

        try (AzureBackend backend = AzureBackend.start(options.azure(), kernel.clock());
             ReplicationSite site = new ReplicationSite(kernel, trace, io.replisim.simulator.scenario.ReplicationConfigs.of(s), backend.storage())) {
            site.start();
            long slice = Math.max(1, duration / SLICES);
            long total = duration;
            while (kernel.now() < duration) {
                kernel.runUntil(Math.min(duration, kernel.now() + slice));
                options.progress().progress(kernel.now(), total, kernel.eventsFired());
            }
            site.stopWorkloadAndDrain();
            // Drain event by event until every VM shipped its last log (or waits for an administrator):
            // the clock must stop at the last event that mattered, not at a slice boundary.
            long cap = duration + site.maxDrain();
            while (site.draining() && kernel.nextEventTime() <= cap) {
                kernel.step();
                if ((kernel.eventsFired() & 1023) == 0) {
                    options.progress().progress(total, total, kernel.eventsFired());
                }
            }
            List<VmOutcome> outcomes = site.verify();
            if (options.exportDisks() != null) {
                site.exportDisks(options.exportDisks());
            }
            List<RunRecord.ExpectationResult> results = evaluate(s, site, outcomes, trace);
            long failed = results.stream().filter(r -> !r.passed()).count();
            trace.emit(new TraceEvent.RunFinished(failed == 0, failed));
            if (json != null) {
                json.flush();
            }
            List<RunRecord.JobRow> jobs = new ArrayList<>();
            for (JobSummary j : site.vault().jobs()) {
                jobs.add(new RunRecord.JobRow(j.id(), j.name(), j.item(), j.status().displayName(),
                        iso(j.startTime().atZone(kernel.zone()).toOffsetDateTime()), j.duration()));
            }
            return new RunRecord(s.name(), options.seed(), s.effectiveFidelity().label(), options.azure(),
                    iso(s.start()), s.effectiveZone().getId(), s.duration(), SimTime.toDuration(kernel.now()),
                    kernel.eventsFired(), failed == 0, outcomes.stream().map(VmOutcome::summary).toList(), results, jobs);
        }
    }

    private static String iso(OffsetDateTime t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }

    private static List<RunRecord.ExpectationResult> evaluate(Scenario s, ReplicationSite site, List<VmOutcome> outcomes,
                                                              Trace trace) {
        List<RunRecord.ExpectationResult> results = new ArrayList<>();
        for (Expectation e : s.expect()) {
            List<VmOutcome> vms = outcomes.stream().filter(o -> e.vm() == null || o.summary().vm().equals(e.vm())).toList();
            RunRecord.ExpectationResult r = Expectations.check(e, vms);
            trace.emit(new TraceEvent.ExpectationChecked(e.vm(), r.name(), r.passed(), r.detail()));
            results.add(r);
        }
        return results;
    }
}
