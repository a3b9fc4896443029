package io.replisim.simulator.scenario;

import io.replisim.simulator.calendar.WeeklyHours;
import io.replisim.azure.vault.PolicyValidationException;
import io.replisim.azure.vault.ReplicationPolicy;
import io.replisim.simulator.fault.FaultKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks a bound scenario for what the types alone cannot: required fields, ranges, references. */
final class ScenarioValidator {

    record Problem(String path, String message) {}

    /** Jimfs is not sparse: a bytes-fidelity disk costs its size in heap. */
    static final long MAX_BYTES_FIDELITY_DISK = 1L << 30;
    /** A page blob holds at most 8 TiB, the VHD footer's 512 bytes included; disks are whole MiB. */
    static final long MAX_REPLICA_DISK = (8L << 40) - (1 << 20);
    private static final String START_EXPECTED =
            "'immediately', 'replicated', a time of day such as 22:00, or a date-time such as 2026-01-05T22:00:00+01:00";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final String NAME_EXPECTED = "a name of letters, digits, '.', '_' or '-' (at most 63, starting with a letter or digit)";

    private final List<Problem> problems = new ArrayList<>();
    /** What the file writes at a field's path (so messages quote the user), or null when unknown. */
    private final java.util.function.Function<String, String> written;

    ScenarioValidator() {
        this(path -> null);
    }

    ScenarioValidator(java.util.function.Function<String, String> written) {
        this.written = written;
    }

    List<Problem> validate(Scenario s) {
        name("name", s.name());
        required("start", s.start(), "a date-time with offset such as 2026-01-05T08:00:00+01:00");
        if (required("duration", s.duration(), Units.DURATION_EXPECTED) && s.duration().isZero()) {
            problem("duration", "must be longer than 0");
        }
        policy(s.policy());
        if (s.resync() != null && s.resync().blockSize() != null) {
            long b = s.resync().blockSize().bytes();
            if (b < 4096 || b % 4096 != 0 || b > (64L << 20)) {
                problem("resync.blockSize", "'" + s.resync().blockSize() + "' is not a multiple of 4KiB between 4KiB and 64MiB");
            }
        }
        Set<String> vmNames = sites(s);
        for (int i = 0; i < s.faults().size(); i++) {
            fault("faults[" + i + "]", s.faults().get(i), s, vmNames);
        }
        for (int i = 0; i < s.actions().size(); i++) {
            action("actions[" + i + "]", s.actions().get(i), s, vmNames);
        }
        for (int i = 0; i < s.expect().size(); i++) {
            expectation("expect[" + i + "]", s.expect().get(i), vmNames);
        }
        return problems;
    }

    /** The vault's own rules decide (one table of ranges); we only place its message in the file. */
    private void policy(Policy p) {
        if (p == null) {
            return;
        }
        Policy e = p.withDefaults();
        if (!Policy.validStart(e.initialReplicationStart())) {
            problem("policy.initialReplicationStart", "'" + e.initialReplicationStart()
                    + "' is not " + START_EXPECTED);
        }
        try {
            ReplicationPolicy.builder()
                    .copyFrequency(e.copyFrequency())
                    .recoveryPointRetention(e.retention())
                    .appConsistentFrequency(e.appConsistentEvery())
                    .build();
        } catch (PolicyValidationException ex) {
            String field = switch (ex.field()) {
                case "copyFrequency" -> "copyFrequency";
                case "recoveryPointRetention" -> "retention";
                case "appConsistentFrequency" -> "appConsistentEvery";
                default -> ex.field();
            };
            problem("policy." + field, ex.getMessage());
        }
    }

    /** Every site: its uplink and hosts (expanded from fleets and inventories); VM and host names are unique across sites. */
    private Set<String> sites(Scenario s) {
        Set<String> vmNames = new HashSet<>();
        if (s.site() != null && !s.sites().isEmpty()) {
            problem("sites", "give either one site or a list of sites, not both");
            return vmNames;
        }
        if (s.site() == null && s.sites().isEmpty()) {
            required("site", null, "a site with uplink and hosts (or sites, a list of them)");
            return vmNames;
        }
        Set<String> siteNames = new HashSet<>();
        Set<String> hostNames = new HashSet<>();
        List<Site> sites = s.effectiveSites();
        for (int i = 0; i < sites.size(); i++) {
            String sp = s.sites().isEmpty() ? "site" : "sites[" + i + "]";
            Site site = sites.get(i);
            if (site == null) {
                problem(sp, "expected a site with uplink and hosts");
                continue;
            }
            if (site.name() != null && name(sp + ".name", site.name()) && !siteNames.add(site.name())) {
                problem(sp + ".name", "site '" + site.name() + "' is declared twice");
            } else if (site.name() == null && sites.size() > 1) {
                problem(sp + ".name", "missing; expected a name: a scenario of several sites names each");
            }
            site(sp, site, s.effectiveFidelity(), vmNames, hostNames);
        }
        if (problems.isEmpty() && vmNames.isEmpty()) {
            problem(s.sites().isEmpty() ? "site.hosts" : "sites", "expected at least one VM on some host");
        }
        return vmNames;
    }

    private void site(String sp, Site site, Fidelity fidelity, Set<String> vmNames, Set<String> hostNames) {
        if (required(sp + ".uplink", site.uplink(), "an uplink such as {bandwidth: 50Mbps}")) {
            uplink(sp, site.uplink());
        }
        if (!site.fleet().isEmpty() || site.inventory() != null) {
            return; // expanded into hosts by the loader, then checked as hosts
        }
        if (!required(sp + ".hosts", site.hosts(), "a list of hosts (or a fleet or an inventory)")) {
            return;
        }
        if (site.hosts().isEmpty()) {
            problem(sp + ".hosts", "expected at least one host");
        }
        for (int h = 0; h < site.hosts().size(); h++) {
            String hp = sp + ".hosts[" + h + "]";
            Site.Host host = site.hosts().get(h);
            if (host == null) {
                problem(hp, "expected a host with name and vms");
                continue;
            }
            if (name(hp + ".name", host.name()) && !hostNames.add(host.name())) {
                problem(hp + ".name", "host '" + host.name() + "' is declared twice");
            }
            if (!required(hp + ".vms", host.vms(), "a list of VMs")) {
                continue;
            }
            for (int v = 0; v < host.vms().size(); v++) {
                vm(hp + ".vms[" + v + "]", host.vms().get(v), vmNames, fidelity);
            }
        }
    }

    /**
     * The fleet templates and inventories, before the loader expands them: what the expansion
     * needs (counts, name patterns, disks, spreads); the hosts they make are checked afterwards.
     */
    List<Problem> templates(Scenario s) {
        if (s.site() != null && !s.sites().isEmpty()) {
            problem("sites", "give either one site or a list of sites, not both");
            return problems;
        }
        List<Site> sites = s.effectiveSites();
        for (int i = 0; i < sites.size(); i++) {
            String sp = s.sites().isEmpty() ? "site" : "sites[" + i + "]";
            Site site = sites.get(i);
            if (site == null) {
                continue;
            }
            for (int g = 0; g < site.fleet().size(); g++) {
                fleet(sp + ".fleet[" + g + "]", site.fleet().get(g));
            }
            if (site.inventory() != null) {
                required(sp + ".inventory.file", site.inventory().file(), "the CSV file's path, relative to the scenario file");
                if (site.inventory().churn() != null && site.inventory().churn().rate() != null) {
                    problem(sp + ".inventory.churn.rate", "each row gives its own rate (the churn column): remove it here");
                }
                if (site.inventory().churn() != null && site.inventory().churn().profile() != null) {
                    problem(sp + ".inventory.churn.profile", "each row gives its own rate (the churn column): a profile goes"
                            + " with a listed disk or a fleet template's disk");
                }
            }
        }
        return problems;
    }

    private void fleet(String fp, Fleet f) {
        if (f == null) {
            problem(fp, "expected a template such as {hosts: 10, hostName: \"hv{00}\", vmsPerHost: 20, vmName: \"vm{000}\", disks: [...]}");
            return;
        }
        if (f.hosts() != null && (f.hosts() < 1 || f.hosts() > 100_000)) {
            problem(fp + ".hosts", "'" + f.hosts() + "' is out of range: expected 1 to 100000");
        }
        if (f.vmsPerHost() != null && (f.vmsPerHost() < 1 || f.vmsPerHost() > 10_000)) {
            problem(fp + ".vmsPerHost", "'" + f.vmsPerHost() + "' is out of range: expected 1 to 10000");
        }
        pattern(fp + ".hostName", f.hostName(), f.effectiveHosts() > 1);
        pattern(fp + ".vmName", f.vmName(), f.effectiveHosts() * (long) f.effectiveVmsPerHost() > 1);
        if (!required(fp + ".disks", f.disks(), "a list of disks") || f.disks().isEmpty()) {
            if (f.disks() != null) {
                problem(fp + ".disks", "expected at least one disk");
            }
            return;
        }
        Set<String> names = new HashSet<>();
        for (int d = 0; d < f.disks().size(); d++) {
            String dp = fp + ".disks[" + d + "]";
            Fleet.Disk disk = f.disks().get(d);
            if (disk == null) {
                problem(dp, "expected a disk with name and size");
                continue;
            }
            if (required(dp + ".name", disk.name(), NAME_EXPECTED) && name(dp + ".name", disk.name()) && !names.add(disk.name())) {
                problem(dp + ".name", "disk '" + disk.name() + "' is declared twice");
            }
            if (required(dp + ".size", disk.size(), Units.SIZE_EXPECTED + ", or a spread such as {between: [127GiB, 512GiB]}")) {
                spread(dp + ".size", disk.size());
            }
            Fleet.Churn churn = disk.churn();
            // with a profile, a rate too is reported on the disks made (at this template's field)
            if (churn != null && (churn.profile() != null ? churn.rate() != null : required(dp + ".churn.rate", churn.rate(),
                    Units.RATE_EXPECTED + ", or a spread such as {lognormal: {median: 256KiB/s, sigma: 0.8}}, or a profile"))) {
                spread(dp + ".churn.rate", churn.rate());
            }
        }
    }

    private void pattern(String path, String pattern, boolean many) {
        if (!required(path, pattern, "a name pattern such as \"vm{000}\"")) {
            return;
        }
        if (many && !FleetExpansion.NUMBER.matcher(pattern).find()) {
            problem(path, "'" + pattern + "' has no number placeholder such as {00}: the template makes several, and names must differ");
        } else {
            name(path, FleetExpansion.name(pattern, 1));
        }
    }

    private void spread(String path, Spread<?> s) {
        if (s instanceof Spread.Between<?> b && b.low() > b.high()) {
            problem(path + ".between", "the low end is above the high end");
        } else if (s instanceof Spread.LogNormal<?> l && (l.median() <= 0 || !(l.sigma() > 0 && l.sigma() <= 3))) {
            problem(path + ".lognormal", "expected a median above 0 and a sigma above 0, at most 3");
        } else if (s instanceof Spread.OneOf<?> o && o.values().isEmpty()) {
            problem(path + ".oneOf", "expected at least one value");
        }
    }

    private void uplink(String sp, Site.Uplink u) {
        if (u.profile() == null) {
            if (required(sp + ".uplink.bandwidth", u.bandwidth(), Units.BANDWIDTH_EXPECTED + " (or a CSV profile)")
                    && u.bandwidth().bitsPerSecond() == 0) {
                problem(sp + ".uplink.bandwidth", "must be above 0bps");
            }
        } else if (u.bandwidth() != null) {
            problem(sp + ".uplink.bandwidth", "give either a bandwidth or a profile, not both");
        }
        for (int i = 0; i < u.schedule().size(); i++) {
            Site.ScheduledBandwidth e = u.schedule().get(i);
            String p = sp + ".uplink.schedule[" + i + "]";
            if (e == null) {
                problem(p, "expected {hours: \"Mon-Fri 09:00-18:00\", bandwidth: 10Mbps}");
                continue;
            }
            required(p + ".hours", e.hours(), WeeklyHours.EXPECTED);
            required(p + ".bandwidth", e.bandwidth(), Units.BANDWIDTH_EXPECTED);
        }
        if (u.uploadThreads() != null && (u.uploadThreads() < 1 || u.uploadThreads() > Site.Uplink.MAX_UPLOAD_THREADS)) {
            problem(sp + ".uplink.uploadThreads", "'" + u.uploadThreads() + "' is out of range: expected 1 to 32 (the agent's default is 4)");
        }
        Site.Throttle t = u.throttle();
        if (t != null) {
            required(sp + ".uplink.throttle.workHours", t.workHours(), WeeklyHours.EXPECTED);
            throttleRate(sp + ".uplink.throttle.workHoursBandwidth", t.workHoursBandwidth());
            throttleRate(sp + ".uplink.throttle.offHoursBandwidth", t.offHoursBandwidth());
            if (t.workHoursBandwidth() == null && t.offHoursBandwidth() == null) {
                problem(sp + ".uplink.throttle", "expected workHoursBandwidth, offHoursBandwidth or both");
            }
        }
    }

    /** The agent's throttle accepts 512 Kbps to 1,023 Mbps (docs/domain.md, Bandwidth and throttling). */
    private void throttleRate(String path, Bandwidth b) {
        if (b != null && (b.bitsPerSecond() < 512_000 || b.bitsPerSecond() > 1_023_000_000)) {
            problem(path, "'" + b + "' is out of the agent's range: expected 512Kbps to 1023Mbps");
        }
    }

    private void vm(String vp, Site.Vm vm, Set<String> vmNames, Fidelity fidelity) {
        if (vm == null) {
            problem(vp, "expected a VM with name and disks");
            return;
        }
        if (name(vp + ".name", vm.name()) && !vmNames.add(vm.name())) {
            problem(vp + ".name", "VM '" + vm.name() + "' is declared twice");
        }
        if (vm.initialReplicationStart() != null && !Policy.validStart(vm.initialReplicationStart())) {
            problem(vp + ".initialReplicationStart", "'" + vm.initialReplicationStart()
                    + "' is not " + START_EXPECTED);
        }
        if (!required(vp + ".disks", vm.disks(), "a list of disks")) {
            return;
        }
        if (vm.disks().isEmpty()) {
            problem(vp + ".disks", "expected at least one disk");
        }
        Set<String> diskNames = new HashSet<>();
        for (int d = 0; d < vm.disks().size(); d++) {
            String dp = vp + ".disks[" + d + "]";
            Site.Disk disk = vm.disks().get(d);
            if (disk == null) {
                problem(dp, "expected a disk with size");
                continue;
            }
            if (disk.name() != null && name(dp + ".name", disk.name()) && !diskNames.add(disk.name())) {
                problem(dp + ".name", "disk '" + disk.name() + "' is declared twice in VM '" + vm.name() + "'");
            }
            if (required(dp + ".size", disk.size(), Units.SIZE_EXPECTED)) {
                long size = disk.size().bytes();
                if (size == 0) {
                    problem(dp + ".size", "'" + writtenOr(dp + ".size", disk.size()) + "' is not above 0");
                } else if (size % (1 << 20) != 0) {
                    long below = size >> 20;
                    String nearest = below == 0 ? "the nearest is 1MiB" : "the nearest are " + Units.exactSize(below << 20)
                            + " and " + Units.exactSize((below + 1) << 20);
                    problem(dp + ".size", "'" + writtenOr(dp + ".size", disk.size()) + "' is " + size + " bytes, not a whole number"
                            + " of MiB (Hyper-V sizes VHDX disks in MiB): " + nearest);
                } else if (fidelity == Fidelity.BYTES && size > MAX_BYTES_FIDELITY_DISK) {
                    problem(dp + ".size", "'" + disk.size() + "' is too large for bytes fidelity (at most 1GiB: disks live in"
                            + " memory); use fidelity: model for larger disks");
                } else if (size > MAX_REPLICA_DISK) {
                    problem(dp + ".size", "'" + disk.size() + "' is larger than a page blob can hold (a replica is a fixed VHD"
                            + " in a page blob of at most 8TiB, footer included)");
                }
            }
            if (disk.used() != null && disk.size() != null && (disk.used().bytes() <= 0 || disk.used().bytes() > disk.size().bytes())) {
                problem(dp + ".used", "'" + writtenOr(dp + ".used", disk.used()) + "' is not above 0 and at most the disk's size, "
                        + writtenOr(dp + ".size", disk.size()));
            }
            churn(dp + ".churn", disk.churn(), disk.size());
        }
    }

    private void churn(String cp, Site.Churn churn, DataSize diskSize) {
        if (churn == null) {
            return;
        }
        if (churn.profile() == null) {
            required(cp + ".rate", churn.rate(), Units.RATE_EXPECTED + ", or a profile (a CSV file of the rate over time)");
        } else {
            if (churn.rate() != null) {
                problem(cp + ".rate", "give either a rate or a profile, not both");
            }
            if (!churn.hourly().isEmpty()) {
                problem(cp + ".hourly", "give either hourly or a profile, not both: the profile is the rate hour by hour");
            }
        }
        if (churn.ioSize() != null && !churn.ioSizes().isEmpty()) {
            problem(cp + ".ioSizes", "give either ioSize or ioSizes, not both");
        }
        if (churn.ioSizes().isEmpty()) {
            ioSize(cp + ".ioSize", churn.effectiveIoSize(), diskSize);
        }
        for (int i = 0; i < churn.ioSizes().size(); i++) {
            Site.IoSizeShare share = churn.ioSizes().get(i);
            String p = cp + ".ioSizes[" + i + "]";
            if (share == null || share.size() == null || share.weight() == null) {
                problem(p, "expected {size: 64KiB, weight: 0.5}");
                continue;
            }
            ioSize(p + ".size", share.size(), diskSize);
            if (!(share.weight() > 0)) {
                problem(p + ".weight", "'" + share.weight() + "' must be above 0");
            }
        }
        if (churn.zipf() != null) {
            if (churn.hotspot() != null || churn.hotShare() != null) {
                problem(cp + ".zipf", "give either a hot spot (hotspot, hotShare) or zipf, not both");
            }
            Double e = churn.zipf().exponent();
            if (e != null && !(e > 0 && e <= 10)) {
                problem(cp + ".zipf.exponent", "'" + e + "' is out of range: expected above 0, at most 10 (default 1.0)");
            }
            DataSize r = churn.zipf().range();
            if (r != null && (r.bytes() < 4096 || r.bytes() % 4096 != 0 || diskSize != null && r.bytes() > diskSize.bytes())) {
                problem(cp + ".zipf.range", "'" + r + "' is not a multiple of 4KiB up to the disk size (default 1MiB)");
            }
        }
        double share = churn.effectiveHotShare();
        if (!(share >= 0 && share <= 1)) {
            problem(cp + ".hotShare", "'" + share + "' is out of range: expected a share of the writes from 0 to 1");
        }
        double hot = churn.effectiveHotspot();
        if (!(hot > 0 && hot <= 1)) {
            problem(cp + ".hotspot", "'" + hot + "' is out of range: expected a fraction of the disk above 0 and at most 1");
        }
        if (!churn.hourly().isEmpty() && (churn.hourly().size() != 24
                || churn.hourly().stream().anyMatch(m -> m == null || m < 0 || m > 100))) {
            problem(cp + ".hourly", "expected 24 multipliers from 0 to 100, one per local hour from 00:00");
        }
        for (int i = 0; i < churn.bursts().size(); i++) {
            Site.Burst b = churn.bursts().get(i);
            String p = cp + ".bursts[" + i + "]";
            if (b == null) {
                problem(p, "expected {name: backup, at: \"01:00\", for: 2h, rate: 20MiB/min, days: \"Mon-Fri\"}");
                continue;
            }
            name(p + ".name", b.name());
            if (required(p + ".at", b.at(), "a time of day such as \"01:00\"")) {
                try {
                    java.time.LocalTime.parse(b.at().length() == 4 ? "0" + b.at() : b.at());
                } catch (java.time.format.DateTimeParseException ex) {
                    problem(p + ".at", "'" + b.at() + "' is not a time of day such as \"01:00\"");
                }
            }
            if (required(p + ".for", b.lasting(), Units.DURATION_EXPECTED)
                    && (b.lasting().isZero() || b.lasting().compareTo(java.time.Duration.ofDays(1)) > 0)) {
                problem(p + ".for", "must be above 0 and at most 1d");
            }
            required(p + ".rate", b.rate(), Units.RATE_EXPECTED);
            if (b.days() != null) {
                try {
                    WeeklyHours.parse(b.days() + " 00:00-24:00");
                } catch (IllegalArgumentException ex) {
                    problem(p + ".days", "'" + b.days() + "' is not days such as \"Mon-Fri\" or \"Sat,Sun\"");
                }
            }
        }
    }

    private void ioSize(String path, DataSize size, DataSize diskSize) {
        long io = size.bytes();
        if (io == 0 || io % 4096 != 0 || io > (4L << 20)) {
            problem(path, "'" + size + "' is not a multiple of 4KiB between 4KiB and 4MiB");
        } else if (diskSize != null && io > diskSize.bytes()) {
            problem(path, "'" + size + "' is larger than the disk");
        }
    }

    private void fault(String fp, FaultSpec f, Scenario s, Set<String> vmNames) {
        if (f == null) {
            problem(fp, "expected a fault such as {at: 6h, kind: network-outage, for: 3h}");
            return;
        }
        if (required(fp + ".at", f.at(), Units.DURATION_EXPECTED)) {
            beforeTheEnd(fp + ".at", f.at(), s, "fault");
        }
        if (required(fp + ".kind", f.kind(), "one of: " + FaultKind.labels())) {
            FaultKind kind = FaultKind.parse(f.kind());
            if (kind == null) {
                problem(fp + ".kind", "'" + f.kind() + "' is not a fault kind; expected one of: " + FaultKind.labels());
            } else {
                switch (kind.scope()) {
                    case SITE -> {
                        if (f.host() != null || f.vm() != null) {
                            problem(fp, "'" + f.kind() + "' applies to the whole site: remove host and vm");
                        }
                        if (f.site() != null && s.effectiveSites().stream().noneMatch(site -> site != null
                                && f.site().equals(site.effectiveName()))) {
                            problem(fp + ".site", "no site named '" + f.site() + "'");
                        }
                    }
                    case HOST -> {
                        if (required(fp + ".host", f.host(), "the host it strikes") && s.effectiveSites().stream()
                                .filter(site -> site != null && site.hosts() != null).flatMap(site -> site.hosts().stream())
                                .noneMatch(h -> h != null && f.host().equals(h.name()))) {
                            problem(fp + ".host", "no host named '" + f.host() + "' in the scenario");
                        }
                    }
                    case VM -> required(fp + ".vm", f.vm(), "the VM it strikes");
                }
                if (f.site() != null && kind.scope() != FaultKind.Scope.SITE) {
                    problem(fp + ".site", "'site' goes with a site's fault (network-outage or a storage fault such as"
                            + " storage-unavailable); a host or VM says where it strikes");
                }
                if (!kind.lasting() && f.lasting() != null) {
                    problem(fp + ".for", "'" + f.kind() + "' is an event, not a condition: remove 'for'");
                }
                if (f.bytes() != null && kind != FaultKind.LOW_DISK_SPACE && kind != FaultKind.VHD_CHANGED_OFFLINE) {
                    problem(fp + ".bytes", "'bytes' goes with low-disk-space (space left free) or vhd-changed-offline (bytes written)");
                }
                if (f.disk() != null && kind != FaultKind.BROKEN_VHD_CHAIN && kind != FaultKind.VHD_CHANGED_OFFLINE) {
                    problem(fp + ".disk", "'disk' goes with broken-vhd-chain or vhd-changed-offline");
                }
                if (f.requests() != null && !kind.storage()) {
                    problem(fp + ".requests", "'requests' goes with a storage fault (" + storageKinds() + ")");
                }
            }
        }
        if (f.lasting() != null && f.lasting().isZero()) {
            problem(fp + ".for", "must be longer than 0 (leave it out for a fault that lasts to the end)");
        }
        if (f.requests() != null && f.requests() < 1) {
            problem(fp + ".requests", "'" + f.requests() + "' is not a count of requests: at least 1 (leave it out for"
                    + " every request while the fault lasts)");
        }
        if (f.vm() != null && !vmNames.contains(f.vm())) {
            problem(fp + ".vm", "no VM named '" + f.vm() + "' in the site");
        }
    }

    private static String storageKinds() {
        return Arrays.stream(FaultKind.values()).filter(FaultKind::storage).map(FaultKind::label)
                .collect(Collectors.joining(", "));
    }

    /**
     * A fault that starts once the workload has stopped, or an action after the longest drain,
     * would never happen: said instead of silently doing nothing. Actions may fall in the drain
     * (an administrator resuming a VM held in Error lets its last log ship), where they run while
     * the run lasts.
     */
    private void beforeTheEnd(String path, java.time.Duration at, Scenario s, String what) {
        if (at == null || s.duration() == null || s.duration().isZero()) {
            return;
        }
        java.time.Duration end = what.equals("fault") ? s.duration()
                : s.duration().plus(io.replisim.simulator.replication.ReplicationSite.longestDrain());
        if (at.compareTo(end) >= 0) {
            problem(path, "'" + Units.formatDuration(at) + "' is not before " + (what.equals("fault")
                    ? "the end of the workload (duration " + Units.formatDuration(s.duration()) + "): a fault that starts"
                      + " once the workload has stopped would never strike; schedule it before " + Units.formatDuration(s.duration())
                    : "the run's latest end (the duration " + Units.formatDuration(s.duration()) + " plus the longest drain, "
                      + Units.formatDuration(io.replisim.simulator.replication.ReplicationSite.longestDrain())
                      + "): the action would never run"));
        }
    }

    private void action(String ap, ActionSpec a, Scenario s, Set<String> vmNames) {
        if (a == null) {
            problem(ap, "expected an action such as {at: 3h, do: resume, vm: app01}");
            return;
        }
        if (required(ap + ".at", a.at(), Units.DURATION_EXPECTED)) {
            beforeTheEnd(ap + ".at", a.at(), s, "action");
        }
        if (required(ap + ".do", a.action(), "one of: " + String.join(", ", ActionSpec.KNOWN))
                && !ActionSpec.KNOWN.contains(a.action())) {
            problem(ap + ".do", "'" + a.action() + "' is not an action; expected one of: " + String.join(", ", ActionSpec.KNOWN));
        }
        if (a.vm() != null && !vmNames.contains(a.vm())) {
            problem(ap + ".vm", "no VM named '" + a.vm() + "' in the site");
        }
        if (a.recoveryPoint() != null && !ActionSpec.RECOVERY_POINTS.contains(a.recoveryPoint())) {
            problem(ap + ".recoveryPoint", "'" + a.recoveryPoint() + "' is not one of: " + String.join(", ", ActionSpec.RECOVERY_POINTS));
        }
    }

    private void expectation(String ep, Expectation e, Set<String> vmNames) {
        if (e == null) {
            problem(ep, "expected an expectation");
            return;
        }
        List<String> kinds = e.kinds();
        if (kinds.size() != 1) {
            problem(ep, (kinds.isEmpty() ? "states no expectation" : "states " + String.join(" and ", kinds) + " at once")
                    + "; expected exactly one of: state, health, replicaMatchesSource, resyncs, retries, errors, rpo,"
                    + " noDataLoss, maxDataLoss, maxBytesSent (one per list entry)");
            return;
        }
        String kind = kinds.get(0);
        boolean needsVm = kind.equals("state") || kind.equals("health") || kind.equals("maxDataLoss");
        if (needsVm) {
            required(ep + ".vm", e.vm(), "the name of a VM of the site");
        }
        if (e.vm() != null && !vmNames.contains(e.vm())) {
            problem(ep + ".vm", "no VM named '" + e.vm() + "' in the site; expected one of: "
                    + String.join(", ", new java.util.TreeSet<>(vmNames)));
        }
        if (e.by() != null && !kind.equals("state")) {
            problem(ep + ".by", "'by' goes with 'state'");
        }
        if (e.after() != null && !kind.equals("state")) {
            problem(ep + ".after", "'after' goes with 'state'");
        }
        if (e.after() != null && e.by() != null && e.after().compareTo(e.by()) >= 0) {
            problem(ep + ".after", "must be earlier than 'by' (" + Units.formatDuration(e.by()) + ")");
        }
        if (e.at() != null && !kind.equals("health")) {
            problem(ep + ".at", "'at' goes with 'health'");
        }
        switch (kind) {
            case "state" -> {
                if (ExpectedStates.parse(e.state()) == null) {
                    problem(ep + ".state", "'" + e.state() + "' is not a replication state; expected one of: " + ExpectedStates.names());
                }
            }
            case "health" -> {
                if (!List.of("Normal", "Warning", "Critical").contains(e.health())) {
                    problem(ep + ".health", "'" + e.health() + "' is not a health; expected one of: Normal, Warning, Critical");
                }
                required(ep + ".at", e.at(), "the time to look at, such as 2h");
            }
            case "resyncs", "retries", "errors" -> {
                Count c = kind.equals("resyncs") ? e.resyncs() : kind.equals("retries") ? e.retries() : e.errors();
                if (c.atLeast() == null && c.atMost() == null || c.atLeast() != null && c.atLeast() < 0
                        || c.atLeast() != null && c.atMost() != null && c.atLeast() > c.atMost()) {
                    problem(ep + "." + kind, "expected a count such as 0, or {atLeast: 1, atMost: 3}");
                }
            }
            case "rpo" -> {
                if (e.rpo().isEmpty()) {
                    problem(ep + ".rpo", "expected bounds such as {p95: 10m, max: 30m} (p50, p95, p99, max)");
                }
            }
            default -> { }
        }
    }

    private boolean name(String path, String value) {
        if (!required(path, value, NAME_EXPECTED)) {
            return false;
        }
        if (!NAME.matcher(value).matches()) {
            problem(path, "'" + value + "' is not " + NAME_EXPECTED);
            return false;
        }
        return true;
    }

    /** What the file writes at {@code path}, or {@code value} as the tool prints it. */
    private String writtenOr(String path, Object value) {
        String text = written.apply(path);
        return text != null ? text : String.valueOf(value);
    }

    private boolean required(String path, Object value, String expected) {
        if (value == null) {
            problem(path, "missing; expected " + expected);
            return false;
        }
        return true;
    }

    private void problem(String path, String message) {
        problems.add(new Problem(path, message));
    }
}
