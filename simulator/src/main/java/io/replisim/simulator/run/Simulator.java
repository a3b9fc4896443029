package io.replisim.simulator.run;

import io.replisim.azure.vault.JobSummary;
import io.replisim.simulator.kernel.Kernel;
import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.replication.ReplicationConfig;
import io.replisim.simulator.replication.ReplicationSite;
import io.replisim.simulator.replication.VmOutcome;
import io.replisim.simulator.scenario.Expectation;
import io.replisim.simulator.scenario.ReplicationConfigs;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.trace.TraceEvent;
import io.replisim.simulator.trace.TraceJson;
import io.replisim.simulator.trace.TraceLevel;
import io.replisim.simulator.trace.TraceRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs one scenario with one seed: (scenario, seed) in, {@link RunRecord} out. No state outlives
 * a run, so runs can go in parallel in one JVM. A scenario of several sites runs each site on a
 * kernel of its own, in parallel on up to {@link RunOptions#threads()} threads, and merges their
 * traces in a fixed order (time, then the file's site order), so the output never depends on the
 * number of threads.
 */
public final class Simulator {
    private Simulator() {}

    public static RunRecord run(Scenario scenario, RunOptions options) throws IOException {
        return execute(scenario, options).record();
    }

    /** A run's record with each VM's outcome: what the summary holds and the figures a planner derives from. */
    public record Run(RunRecord record, List<VmOutcome> outcomes) {}

    /** Runs like {@link #run} and keeps every VM's outcome. */
    public static Run execute(Scenario scenario, RunOptions options) throws IOException {
        Scenario s = scenario.withSeed(options.seed());
        List<ReplicationConfig> configs = ReplicationConfigs.of(s);
        Instant start = s.start().toInstant();
        ZoneId zone = s.effectiveZone();
        long duration = SimTime.of(s.duration());
        int vmCount = configs.stream().mapToInt(c -> c.hosts().stream().mapToInt(h -> h.vms().size()).sum()).sum();
        TraceLevel level = options.traceLevel() != null ? options.traceLevel() : TraceLevel.defaultFor(vmCount);
        TraceJson json = options.trace() == null || level == TraceLevel.NONE ? null : new TraceJson(options.trace(), start, zone);
        TraceOut out = new TraceOut(json);
        var policy = s.effectivePolicy();
        out.accept(new TraceRecord(0, 0, new TraceEvent.RunStarted(ReplisimVersion.number(), ReplisimVersion.TRACE_FORMAT, s.name(), options.seed(), s.effectiveFidelity().label(),
                options.backend().label(), iso(s.start()), zone.getId(), s.duration(), policy.copyFrequency(), policy.retention(),
                policy.appConsistentEvery(), level == TraceLevel.FULL ? null : level.label())));

        List<SiteRun.Result> sites;
        String azuriteLauncher = null;
        if (configs.size() == 1) {
            Kernel kernel = new Kernel(start, zone, options.seed());
            boolean storageFaults = configs.get(0).faults().stream().anyMatch(f -> f.kind().storage());
            try (AzureBackend backend = AzureBackend.start(options.backend(), kernel.clock(), storageFaults, options.progress())) {
                azuriteLauncher = backend.azuriteLauncher();
                sites = List.of(SiteRun.run(configs.get(0), kernel, ReplicationSite.VAULT, duration, backend.storage(),
                        backend.storageFaults(), level, out,
                        (t, events) -> options.progress().progress(t, duration, events), options.exportDisks(),
                        options.untilReplicating(), options.probe()));
            }
        } else {
            if (options.backend() != Backend.MEMORY) {
                throw new IllegalArgumentException("a scenario of several sites runs on the memory backend only; --azure "
                        + options.backend().label() + " takes scenarios of one site");
            }
            sites = SiteRuns.run(configs, start, zone, options, duration, level, out);
        }

        long end = sites.stream().mapToLong(SiteRun.Result::endTime).max().orElse(0);
        List<VmOutcome> outcomes = sites.stream().flatMap(r -> r.outcomes().stream()).toList();
        List<RunRecord.ExpectationResult> results = new ArrayList<>();
        for (Expectation e : s.expect()) {
            List<VmOutcome> vms = outcomes.stream().filter(o -> e.vm() == null || o.summary().vm().equals(e.vm())).toList();
            RunRecord.ExpectationResult r = Expectations.check(e, vms);
            out.accept(new TraceRecord(0, end, new TraceEvent.ExpectationChecked(e.vm(), r.name(), r.passed(), r.detail())));
            results.add(r);
        }
        long failed = results.stream().filter(r -> !r.passed()).count();
        out.accept(new TraceRecord(0, end, new TraceEvent.RunFinished(failed == 0, failed)));
        if (json != null) {
            json.flush();
        }
        List<RunRecord.JobRow> jobs = new ArrayList<>();
        List<JobSummary> all = new ArrayList<>();
        sites.forEach(r -> all.addAll(r.jobs()));
        if (sites.size() > 1) { // the vault's list: newest first, as each site's part lists its own
            all.sort(Comparator.comparing(JobSummary::startTime).reversed());
        }
        for (JobSummary j : all) {
            jobs.add(new RunRecord.JobRow(j.id(), j.name(), j.item(), j.status().displayName(),
                    iso(j.startTime().atZone(zone).toOffsetDateTime()), j.duration()));
        }
        FleetSeries fleet = vmCount > FleetSeries.FLEET_VMS || level != TraceLevel.FULL
                ? FleetSeries.of(sites.stream().map(SiteRun.Result::series).toList(),
                        configs.stream().map(c -> c.hosts().stream().mapToInt(h -> h.vms().size()).sum()).toList())
                : null;
        UplinkSeries uplink = vmCount <= FleetSeries.FLEET_VMS
                ? UplinkSeries.of(sites.stream().map(SiteRun.Result::series).toList(),
                        sites.stream().map(r -> r.outcomes().stream().map(o -> o.summary().vm()).toList()).toList(), end)
                : null;
        return new Run(new RunRecord(ReplisimVersion.number(), ReplisimVersion.TRACE_FORMAT, s.name(), options.seed(), s.effectiveFidelity().label(), options.backend().label(),
                iso(s.start()), zone.getId(), s.duration(), SimTime.toDuration(end),
                sites.stream().mapToLong(SiteRun.Result::events).sum(), failed == 0,
                outcomes.stream().map(VmOutcome::summary).toList(), results, jobs, level.label(), fleet, uplink, azuriteLauncher, null),
                outcomes);
    }

    static String iso(OffsetDateTime t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
