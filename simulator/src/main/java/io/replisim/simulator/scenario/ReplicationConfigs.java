package io.replisim.simulator.scenario;

import io.replisim.hyperv.WorkloadSpec;
import io.replisim.simulator.calendar.WeeklyHours;
import io.replisim.simulator.fault.FaultKind;
import io.replisim.simulator.net.LinkCapacity;
import io.replisim.simulator.replication.ReplicationConfig;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The replication stack's configuration from a scenario file, with the file's documented
 * defaults applied: what the file says, in the stack's own terms.
 */
public final class ReplicationConfigs {
    private ReplicationConfigs() {}

    /** One configuration per site, in the file's order; faults and actions go to the sites they strike. */
    public static List<ReplicationConfig> of(Scenario s) {
        List<ReplicationConfig> configs = new ArrayList<>();
        for (Site site : s.effectiveSites()) {
            configs.add(of(s, site));
        }
        return configs;
    }

    private static ReplicationConfig of(Scenario s, Site site) {
        Policy p = s.effectivePolicy();
        Resync r = s.effectiveResync();
        java.util.Set<String> hostNames = new java.util.HashSet<>();
        java.util.Set<String> vmNames = new java.util.HashSet<>();
        for (Site.Host h : site.hosts()) {
            hostNames.add(h.name());
            h.vms().forEach(v -> vmNames.add(v.name()));
        }
        List<ReplicationConfig.Host> hosts = new ArrayList<>();
        for (Site.Host h : site.hosts()) {
            List<ReplicationConfig.Vm> vms = new ArrayList<>();
            for (Site.Vm v : h.vms()) {
                List<ReplicationConfig.Disk> disks = new ArrayList<>();
                for (int i = 0; i < v.disks().size(); i++) {
                    Site.Disk d = v.disks().get(i);
                    WorkloadSpec workload = d.churn() != null && (d.churn().profile() != null || d.churn().rate().bytesPerSecond() > 0)
                            ? workload(d.churn(), s.start()) : null;
                    disks.add(new ReplicationConfig.Disk(d.name() != null ? d.name() : "disk" + i, d.size().bytes(), workload,
                            d.used() != null ? d.used().bytes() : d.size().bytes()));
                }
                vms.add(new ReplicationConfig.Vm(v.name(), disks, v.initialReplicationStart() == null ? null
                        : ReplicationConfig.StartAt.parse(v.initialReplicationStart())));
            }
            hosts.add(new ReplicationConfig.Host(h.name(), h.effectiveVolume().bytes(), h.effectiveMemory().bytes(), vms));
        }
        List<ReplicationConfig.Fault> faults = s.faults().stream()
                .filter(f -> f.host() != null ? hostNames.contains(f.host()) : f.vm() != null ? vmNames.contains(f.vm())
                        : f.site() == null || f.site().equals(site.effectiveName()))
                .map(f -> new ReplicationConfig.Fault(f.at(), FaultKind.parse(f.kind()), f.lasting(), f.host(), f.vm(), f.disk(),
                        f.bytes() == null ? null : f.bytes().bytes(), f.requests()))
                .toList();
        List<ReplicationConfig.Action> actions = s.actions().stream().filter(a -> a.vm() == null || vmNames.contains(a.vm()))
                .map(a -> new ReplicationConfig.Action(a.at(), a.action(), a.vm(), a.recoveryPoint(), a.sync())).toList();
        Site.Uplink u = site.uplink();
        return new ReplicationConfig(site.effectiveName(),
                site.effectiveKind() == Site.Kind.VMM_CLOUD ? ReplicationConfig.SiteKind.VMM_CLOUD : ReplicationConfig.SiteKind.HYPERV_SITE,
                switch (s.effectiveFidelity()) {
                    case BYTES -> io.replisim.hyperv.Fidelity.BYTES;
                    case MODEL -> io.replisim.hyperv.Fidelity.MODEL;
                    case FLOW -> io.replisim.hyperv.Fidelity.FLOW;
                },
                new ReplicationConfig.Policy(p.copyFrequency(), p.retention(), p.appConsistentEvery(),
                        ReplicationConfig.StartAt.parse(p.initialReplicationStart())),
                new ReplicationConfig.Resync(r.officeHours(), r.blockSize().bytes(), r.automatic()),
                new ReplicationConfig.Uplink(capacity(u), u.effectiveLatency(), u.effectiveUploadThreads()),
                hosts, faults, actions);
    }

    /** What the link offers over time: its bandwidth or replayed profile, busy windows, the agent's throttle. */
    public static LinkCapacity capacity(Site.Uplink u) {
        Site.Throttle t = u.throttle();
        return new LinkCapacity(u.bandwidth() == null ? 0 : u.bandwidth().bitsPerSecond(), u.samples(),
                u.schedule().stream().map(w -> new LinkCapacity.Window(w.hours(), w.bandwidth().bitsPerSecond())).toList(),
                t == null ? null : new LinkCapacity.Throttle(t.workHours(),
                        t.workHoursBandwidth() == null ? null : t.workHoursBandwidth().bitsPerSecond(),
                        t.offHoursBandwidth() == null ? null : t.offHoursBandwidth().bitsPerSecond()));
    }

    /** The Hyper-V workload a scenario's churn describes; a profile's times count from {@code start}. */
    static WorkloadSpec workload(Site.Churn c, java.time.OffsetDateTime start) {
        WorkloadSpec.Builder b = WorkloadSpec.builder();
        if (c.profile() != null) {
            if (c.series() == null) {
                throw new IllegalStateException("the churn profile " + c.profile() + " was not loaded: load the scenario"
                        + " with ScenarioLoader, which reads its files");
            }
            b.setRateSeries(c.series().rateSeries(start));
        } else {
            b.setChurnBytesPerSecond(c.rate().bytesPerSecond());
        }
        if (c.ioSizes().isEmpty()) {
            b.setIoSizeBytes((int) c.effectiveIoSize().bytes());
        } else {
            b.setIoSizes(c.ioSizes().stream().map(s -> new WorkloadSpec.IoSize((int) s.size().bytes(), s.weight())).toList());
        }
        if (c.zipf() != null) {
            b.setZipf(c.zipf().exponent() != null ? c.zipf().exponent() : WorkloadSpec.DEFAULT_ZIPF_EXPONENT,
                    c.zipf().range() != null ? c.zipf().range().bytes() : WorkloadSpec.DEFAULT_ZIPF_RANGE_BYTES);
        } else {
            b.setHotSpotFraction(c.effectiveHotspot()).setHotSpotShare(c.effectiveHotShare());
        }
        if (!c.hourly().isEmpty()) {
            b.setHourlyMultipliers(c.hourly().stream().mapToDouble(Double::doubleValue).toArray());
        }
        for (Site.Burst burst : c.bursts()) {
            LocalTime at = LocalTime.parse(burst.at().length() == 4 ? "0" + burst.at() : burst.at());
            Set<DayOfWeek> days = burst.days() == null ? EnumSet.allOf(DayOfWeek.class)
                    : WeeklyHours.parse(burst.days() + " 00:00-24:00").days();
            b.addBurst(new WorkloadSpec.Burst(burst.name(), at, burst.lasting(), burst.rate().bytesPerSecond(), days));
        }
        return b.build();
    }
}
