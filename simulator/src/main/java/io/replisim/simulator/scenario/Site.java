package io.replisim.simulator.scenario;

import io.replisim.simulator.calendar.WeeklyHours;
import io.replisim.simulator.net.LinkCapacity;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * A Hyper-V site (Provider on every host) or a VMM cloud, with its uplink and hosts: listed one
 * by one ({@code hosts}), made from templates ({@code fleet}) or read from a CSV file
 * ({@code inventory}); the loader expands the last two into {@code hosts}.
 */
public record Site(Kind kind, String name, Uplink uplink, List<Host> hosts, List<Fleet> fleet, Inventory inventory) {

    public enum Kind {
        @JsonProperty("hyperv-site") HYPERV_SITE,
        @JsonProperty("vmm-cloud") VMM_CLOUD
    }

    public Site {
        hosts = hosts == null ? null : List.copyOf(hosts);
        fleet = fleet == null ? List.of() : List.copyOf(fleet);
    }

    /** A site with its hosts listed. */
    public Site(Kind kind, String name, Uplink uplink, List<Host> hosts) {
        this(kind, name, uplink, hosts, null, null);
    }

    public Site withUplink(Uplink newUplink) {
        return new Site(kind, name, newUplink, hosts, fleet, inventory);
    }

    /** This site with {@code all} as its hosts, the fleet and inventory expanded into them. */
    public Site withHosts(List<Host> all) {
        return new Site(kind, name, uplink, all, null, null);
    }

    public Kind effectiveKind() {
        return kind == null ? Kind.HYPERV_SITE : kind;
    }

    public String effectiveName() {
        return name != null ? name : "site1";
    }

    /**
     * The site's link to Azure: a constant {@code bandwidth}, or a {@code profile} replayed from
     * a CSV file (path relative to the scenario file); a weekly {@code schedule} of other
     * capacities; the Recovery Services agent's {@code throttle}; and a per-request
     * {@code latency}; the agent's {@code uploadThreads} per VM. {@code samples} holds the profile's data once loaded (not written in YAML).
     */
    public record Uplink(Bandwidth bandwidth, String profile, List<ScheduledBandwidth> schedule, Throttle throttle,
                         Duration latency, Integer uploadThreads, @JsonIgnore List<LinkCapacity.Sample> samples) {
        public static final int DEFAULT_UPLOAD_THREADS = 4;
        public static final int MAX_UPLOAD_THREADS = 32;

        public Uplink {
            schedule = schedule == null ? List.of() : List.copyOf(schedule);
            samples = samples == null ? List.of() : List.copyOf(samples);
        }

        public Uplink withSamples(List<LinkCapacity.Sample> loaded) {
            return new Uplink(bandwidth, profile, schedule, throttle, latency, uploadThreads, loaded);
        }

        public int effectiveUploadThreads() {
            return uploadThreads != null ? uploadThreads : DEFAULT_UPLOAD_THREADS;
        }

        public Duration effectiveLatency() {
            return latency != null ? latency : Duration.ZERO;
        }
    }

    /** Within {@code hours} the link offers {@code bandwidth} instead (a busy shared link, say). */
    public record ScheduledBandwidth(WeeklyHours hours, Bandwidth bandwidth) {}

    /**
     * The agent's bandwidth throttling (512Kbps to 1023Mbps): one rate within work hours,
     * another outside (none by default). It caps what the agent sends, whatever the link offers.
     */
    public record Throttle(WeeklyHours workHours, Bandwidth workHoursBandwidth, Bandwidth offHoursBandwidth) {}


    /** A Hyper-V host with one volume holding its VMs' disks and logs. */
    public record Host(String name, DataSize volume, DataSize memory, List<Vm> vms) {
        public static final DataSize DEFAULT_VOLUME = DataSize.parse("64GiB");
        public static final DataSize DEFAULT_MEMORY = DataSize.parse("16GiB");

        public Host {
            vms = vms == null ? null : List.copyOf(vms);
        }

        public DataSize effectiveVolume() {
            return volume != null ? volume : DEFAULT_VOLUME;
        }

        public DataSize effectiveMemory() {
            return memory != null ? memory : DEFAULT_MEMORY;
        }
    }

    /**
     * A VM; {@code initialReplicationStart} overrides the policy's for this VM alone (a wave of
     * an initial replication plan), in the policy's syntax.
     */
    public record Vm(String name, List<Disk> disks, String initialReplicationStart) {
        public Vm {
            disks = disks == null ? null : List.copyOf(disks);
        }

        public Vm(String name, List<Disk> disks) {
            this(name, disks, null);
        }
    }

    /**
     * A virtual disk and the workload writing to it; {@code used} is what initial replication
     * sends of it (a dynamic disk's allocated blocks; the whole size by default).
     */
    public record Disk(String name, DataSize size, Churn churn, DataSize used) {
        public Disk(String name, DataSize size, Churn churn) {
            this(name, size, churn, null);
        }
    }

    /**
     * A seeded write workload: {@code rate} of writes in {@code ioSize} I/Os (or a weighted mix,
     * {@code ioSizes}); a {@code hotspot} fraction of the disk (the first, by default 20%)
     * receives a {@code hotShare} of them (80%), or, with {@code zipf}, ranges of the disk are
     * chosen by a Zipf law; {@code hourly} multiplies the rate by local hour (24 values) and
     * {@code bursts} add windows of extra writes (a nightly backup, SQL maintenance). Instead of
     * {@code rate} and {@code hourly}, a {@code profile} replays a recorded rate from a CSV file
     * (path relative to the scenario file, read by {@link ChurnCsv}); {@code series} holds it once
     * loaded (not written in YAML).
     */
    public record Churn(DataRate rate, String profile, DataSize ioSize, List<IoSizeShare> ioSizes, Double hotspot,
                        Double hotShare, Zipf zipf, List<Double> hourly, List<Burst> bursts,
                        @JsonIgnore ChurnCsv.Series series) {
        public static final DataSize DEFAULT_IO_SIZE = DataSize.parse("64KiB");
        public static final double DEFAULT_HOTSPOT = 0.2;
        public static final double DEFAULT_HOT_SHARE = 0.8;

        public Churn {
            ioSizes = ioSizes == null ? List.of() : List.copyOf(ioSizes);
            hourly = hourly == null ? List.of() : List.copyOf(hourly);
            bursts = bursts == null ? List.of() : List.copyOf(bursts);
        }

        /** A churn at a rate (no profile). */
        public Churn(DataRate rate, DataSize ioSize, List<IoSizeShare> ioSizes, Double hotspot, Double hotShare, Zipf zipf,
                     List<Double> hourly, List<Burst> bursts) {
            this(rate, null, ioSize, ioSizes, hotspot, hotShare, zipf, hourly, bursts, null);
        }

        public Churn withSeries(ChurnCsv.Series loaded) {
            return new Churn(rate, profile, ioSize, ioSizes, hotspot, hotShare, zipf, hourly, bursts, loaded);
        }

        public double effectiveHotShare() {
            return hotShare != null ? hotShare : DEFAULT_HOT_SHARE;
        }

        public DataSize effectiveIoSize() {
            return ioSize != null ? ioSize : DEFAULT_IO_SIZE;
        }

        public double effectiveHotspot() {
            return hotspot != null ? hotspot : DEFAULT_HOTSPOT;
        }
    }

    /** One I/O size of a mix and its weight. */
    public record IoSizeShare(DataSize size, Double weight) {}

    /** Zipf locality: the disk cut in ranges of {@code range} bytes, rank k chosen with weight 1/k^exponent. */
    public record Zipf(Double exponent, DataSize range) {}

    /**
     * Extra writes in a daily window: {@code {name: backup, at: "01:00", for: 2h, rate: 20MiB/min,
     * days: "Mon-Fri"}} (every day without {@code days}).
     */
    public record Burst(String name, String at, @JsonProperty("for") Duration lasting, DataRate rate, String days) {}
}
