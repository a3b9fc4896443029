package io.replisim.simulator.hunt;

import io.replisim.simulator.calendar.WeeklyHours;
import io.replisim.simulator.kernel.RandomStream;
import io.replisim.simulator.scenario.Bandwidth;
import io.replisim.simulator.scenario.DataRate;
import io.replisim.simulator.scenario.DataSize;
import io.replisim.simulator.scenario.Fidelity;
import io.replisim.simulator.scenario.Policy;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.Site;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Random shapes for a hunt (issue 14, point 3), drawn from one seeded stream: a topology (1 to
 * {@link #MAX_HOSTS} hosts of 1 to {@link #MAX_VMS_PER_HOST} VMs, all on the site's one uplink,
 * each VM with 1 to {@link #MAX_DISKS_PER_VM} disks of different small sizes), a Hyper-V site
 * or a VMM cloud, a policy within ASR's ranges, workloads (uniform, a hot spot or Zipf, with a
 * day/night pattern or a burst at times), a bandwidth that is sometimes scarce so that logs pile
 * up past the resync threshold, sometimes a work-hours throttle, a start somewhere in the week
 * and a duration of hours. Each run stays cheap: disks of tens of MiB, a few hours.
 *
 * <p>The base scenario keeps its name, seed, start (the start of the week the run's start falls
 * in), time zone and resync settings, and its fidelity when it writes one; its site, policy,
 * duration, faults, actions and expectations are replaced (they name the base's VMs).
 */
public final class RandomShapes {
    public static final int MAX_HOSTS = 3;
    public static final int MAX_VMS_PER_HOST = 4;
    public static final int MAX_DISKS_PER_VM = 3;
    /** Disk sizes drawn from in model fidelity, in MiB; a VM's disks all differ. */
    static final int[] DISK_MIB = {8, 12, 16, 24, 32, 48, 64};
    /** In bytes fidelity, smaller: a disk's real bytes live in the heap several times over (source, checkpoint, replica, points). */
    static final int[] BYTES_DISK_MIB = {2, 3, 4, 6, 8, 12, 16};
    /** A bytes-fidelity shape whose disks add up to more than this runs in model fidelity (unless the base asks for bytes). */
    static final long MAX_BYTES_FIDELITY_DISKS = 64L << 20;
    /** ASR's copy frequencies (docs/domain.md, Replication policy). */
    static final List<Duration> COPY_FREQUENCIES = List.of(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(15));
    public static final Duration SHORTEST = Duration.ofHours(1);
    public static final Duration LONGEST = Duration.ofHours(4);
    private static final List<String> DISK_NAMES = List.of("os", "data", "logs");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    /** A day/night pattern: quiet nights, a busy working day. */
    static final List<Double> OFFICE_DAY = List.of(0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 1.0, 1.5, 2.0, 2.0, 2.0, 1.5, 2.0,
            2.0, 2.0, 1.5, 1.0, 0.8, 0.5, 0.4, 0.3, 0.2, 0.2);

    /** The base of a hunt over shapes without a scenario file: a Monday in Amsterdam, everything else drawn. */
    public static final String BASE = """
            # The base of 'replisim hunt --shapes': each run draws its site, policy, workloads and
            # duration, and starts somewhere in the week of 'start'.
            name: shapes
            seed: 1
            start: 2026-01-05T00:00:00+01:00
            timeZone: Europe/Amsterdam
            duration: 1h
            site:
              uplink: { bandwidth: 10Mbps }
              hosts: [ { name: hv01, vms: [ { name: vm01, disks: [ { name: os, size: 8MiB } ] } ] } ]
            """;
    /** The file name the built-in base is known by (in messages and the minimal scenario's comments). */
    public static final String BASE_FILE = "(built-in shapes base)";

    private RandomShapes() {}

    /** {@code base} with a shape drawn from {@code random} (see the class comment for what is kept). */
    public static Scenario draw(Scenario base, RandomStream random) {
        Fidelity fidelity = base.fidelity() != null ? base.fidelity() : random.nextInt(2) == 0 ? Fidelity.BYTES : Fidelity.MODEL;
        long weekMinutes = Duration.ofDays(7).toMinutes();
        OffsetDateTime start = base.start().plusMinutes(random.nextLong(weekMinutes));
        Duration duration = Duration.ofMinutes(random.nextLong(SHORTEST.toMinutes(), LONGEST.toMinutes() + 1));
        Policy policy = policy(random, base, start, duration);
        int[] diskMiB = fidelity == Fidelity.BYTES ? BYTES_DISK_MIB : DISK_MIB;

        int hostCount = 1 + random.nextInt(MAX_HOSTS);
        List<Site.Host> hosts = new ArrayList<>();
        long churnBytesPerSecond = 0;
        long allDiskBytes = 0;
        int vmNumber = 0;
        for (int h = 1; h <= hostCount; h++) {
            int vmCount = 1 + random.nextInt(MAX_VMS_PER_HOST);
            List<Site.Vm> vms = new ArrayList<>();
            long diskBytes = 0;
            for (int v = 0; v < vmCount; v++) {
                vmNumber++;
                int diskCount = 1 + random.nextInt(MAX_DISKS_PER_VM);
                List<Integer> sizes = new ArrayList<>();
                for (int mib : diskMiB) {
                    sizes.add(mib);
                }
                List<Site.Disk> disks = new ArrayList<>();
                for (int d = 0; d < diskCount; d++) {
                    long mib = sizes.remove(random.nextInt(sizes.size()));
                    DataSize size = DataSize.ofMiB(mib);
                    DataSize used = random.nextInt(4) == 0 ? DataSize.ofMiB(Math.max(1, mib / 2)) : null; // a dynamic disk
                    Site.Churn churn = churn(random, mib, fidelity, start, duration, base);
                    churnBytesPerSecond += churn.rate().bytesPerSecond();
                    disks.add(new Site.Disk(DISK_NAMES.get(d), size, churn, used));
                    diskBytes += size.bytes();
                }
                vms.add(new Site.Vm(String.format("vm%02d", vmNumber), disks));
            }
            // room for the disks, their checkpoints and logs piling up through an outage
            long volume = Math.max(1L << 30, (4 * diskBytes + (1L << 30) - 1) & -(1L << 30));
            hosts.add(new Site.Host(String.format("hv%02d", h), new DataSize(volume), null, vms));
            allDiskBytes += diskBytes;
        }
        if (base.fidelity() == null && allDiskBytes > MAX_BYTES_FIDELITY_DISKS) {
            fidelity = Fidelity.MODEL; // real bytes of this many disks cost their size several times over in heap
        }
        Site.Kind kind = random.nextInt(2) == 0 ? Site.Kind.HYPERV_SITE : Site.Kind.VMM_CLOUD;
        String siteName = kind == Site.Kind.VMM_CLOUD ? "cloud1" : null;
        Site site = new Site(kind, siteName, uplink(random, churnBytesPerSecond), hosts);
        return new Scenario(base.name(), base.seed(), start, base.timeZone(), duration, fidelity, policy, site, base.resync(),
                List.of(), List.of(), List.of());
    }

    /** Copy frequency 30 s, 5 or 15 min; retention 0 to 24 h; app-consistent 0 to 12 h, never above retention. */
    private static Policy policy(RandomStream random, Scenario base, OffsetDateTime start, Duration duration) {
        Duration copy = COPY_FREQUENCIES.get(random.nextInt(COPY_FREQUENCIES.size()));
        long retention = random.nextInt(25);
        long appConsistent = random.nextInt((int) Math.min(12, retention) + 1);
        String initial = switch (random.nextInt(6)) {
            case 0 -> Policy.REPLICATED; // steady state from the first cycle
            case 1 -> localTime(base, start.plusMinutes(random.nextLong(duration.toMinutes() / 2 + 1)));
            default -> Policy.IMMEDIATELY;
        };
        return new Policy(copy, Duration.ofHours(retention), Duration.ofHours(appConsistent), initial);
    }

    /**
     * A workload: uniform, a hot spot or Zipf; one time in four a day/night pattern, one time in
     * four a daily burst (2 to 8 times the rate) that falls within the run.
     */
    private static Site.Churn churn(RandomStream random, long diskMiB, Fidelity fidelity, OffsetDateTime start,
                                    Duration duration, Scenario base) {
        // log-uniformly, in model fidelity 1 to 32 KiB/s (60 KiB to 1.9 MiB a minute); in bytes
        // fidelity, where every write is real bytes written, logged, sent and applied, 256 B/s to 4 KiB/s
        double steps = random.nextDouble();
        DataRate rate = fidelity == Fidelity.BYTES
                ? new DataRate(256 * Math.round(StrictMath.exp(steps * StrictMath.log(16))))
                : new DataRate(1024 * Math.round(StrictMath.exp(steps * StrictMath.log(32))));
        DataSize ioSize = null;
        List<Site.IoSizeShare> ioSizes = List.of();
        switch (random.nextInt(3)) {
            case 0 -> ioSize = DataSize.parse(List.of("4KiB", "8KiB", "64KiB", "256KiB", "1MiB").get(random.nextInt(5)));
            case 1 -> ioSizes = List.of(new Site.IoSizeShare(DataSize.parse("8KiB"), 0.7),
                    new Site.IoSizeShare(DataSize.parse("256KiB"), 0.3));
            default -> { } // the default, 64 KiB
        }
        Double hotspot = null;
        Double hotShare = null;
        Site.Zipf zipf = null;
        switch (random.nextInt(3)) {
            case 0 -> hotspot = 1.0; // the whole disk is "hot": uniform writes
            case 1 -> {
                hotspot = List.of(0.05, 0.1, 0.2, 0.5).get(random.nextInt(4));
                hotShare = List.of(0.6, 0.8, 0.95).get(random.nextInt(3));
            }
            default -> zipf = new Site.Zipf(List.of(0.8, 1.0, 1.2, 1.5).get(random.nextInt(4)),
                    diskMiB < 4 ? DataSize.parse(List.of("256KiB", "1MiB").get(random.nextInt(2)))
                            : DataSize.parse(List.of("256KiB", "1MiB", "4MiB").get(random.nextInt(3))));
        }
        List<Double> hourly = random.nextInt(4) == 0 ? OFFICE_DAY : List.of();
        List<Site.Burst> bursts = List.of();
        if (random.nextInt(4) == 0) {
            String at = localTime(base, start.plusMinutes(random.nextLong(duration.toMinutes())));
            Duration lasting = Duration.ofMinutes(random.nextLong(10, 61));
            bursts = List.of(new Site.Burst("burst", at, lasting, new DataRate(rate.bytesPerSecond() * random.nextLong(2, 9)), null));
        }
        return new Site.Churn(rate, ioSize, ioSizes, hotspot, hotShare, zipf, hourly, bursts);
    }

    /**
     * A constant bandwidth: one time in three scarce, 30% to 90% of what the workloads write (logs
     * pile up until a resync), else 1 to 100 Mbps log-uniformly; one time in four (on links of 2
     * Mbps or more) the agent throttled to a quarter within work hours.
     */
    private static Site.Uplink uplink(RandomStream random, long churnBytesPerSecond) {
        long bits;
        if (random.nextInt(3) == 0) {
            bits = churnBytesPerSecond * 8 * random.nextLong(30, 91) / 100;
        } else {
            bits = Math.round(StrictMath.exp(random.nextDouble() * StrictMath.log(100))) * 1_000_000L;
        }
        bits = Math.max(16_000, bits / 1000 * 1000); // whole Kbps
        Site.Throttle throttle = null;
        if (random.nextInt(4) == 0 && bits >= 2_048_000) { // the agent's throttle starts at 512 Kbps
            throttle = new Site.Throttle(WeeklyHours.parse("Mon-Fri 09:00-18:00"),
                    new Bandwidth(Math.max(512_000, bits / 4 / 1000 * 1000)), null);
        }
        return new Site.Uplink(new Bandwidth(bits), null, null, throttle, null, null, null);
    }

    private static String localTime(Scenario base, OffsetDateTime at) {
        LocalTime t = at.atZoneSameInstant(base.effectiveZone()).toLocalTime();
        return t.format(HH_MM);
    }
}
