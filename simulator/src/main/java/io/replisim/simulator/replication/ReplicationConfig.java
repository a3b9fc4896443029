package io.replisim.simulator.replication;

import io.replisim.hyperv.Fidelity;
import io.replisim.hyperv.WorkloadSpec;
import io.replisim.simulator.calendar.WeeklyHours;
import io.replisim.simulator.fault.FaultKind;
import io.replisim.simulator.net.LinkCapacity;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * What the replication stack is given to run one site: the topology (hosts, their VMs, disks and
 * workloads), the replication policy, how resynchronization runs, the uplink, the faults to
 * inject and the administrators' actions, all with defaults applied. The scenario package builds
 * it from a scenario file; the stack knows nothing of YAML.
 */
public record ReplicationConfig(String site, SiteKind kind, Fidelity fidelity, Policy policy, Resync resync, Uplink uplink,
                                List<Host> hosts, List<Fault> faults, List<Action> actions) {
    public ReplicationConfig {
        hosts = List.copyOf(hosts);
        faults = List.copyOf(faults);
        actions = List.copyOf(actions);
    }

    /** A Hyper-V site (the Provider on every host) or a VMM cloud (the Provider on the VMM server). */
    public enum SiteKind { HYPERV_SITE, VMM_CLOUD }

    /** The site's replication policy (its ranges, docs/domain.md, Replication policy, are the validator's). */
    public record Policy(Duration copyFrequency, Duration retention, Duration appConsistentEvery, StartAt initialReplication) {}

    /** When initial replication starts for a VM whose protection is being enabled. */
    public sealed interface StartAt {
        /** The moment for protection enabled at {@code enabled}. */
        ZonedDateTime after(ZonedDateTime enabled);

        /** As soon as protection is enabled (the policy's default). */
        record Immediately() implements StartAt {
            @Override
            public ZonedDateTime after(ZonedDateTime enabled) {
                return enabled;
            }
        }

        /** At the next time of day {@code time}, local time. */
        record DailyAt(LocalTime time) implements StartAt {
            @Override
            public ZonedDateTime after(ZonedDateTime enabled) {
                ZonedDateTime today = enabled.toLocalDate().atTime(time).atZone(enabled.getZone());
                return today.isBefore(enabled) ? today.plusDays(1) : today;
            }
        }

        /** At a date-time, or at once if that has passed. */
        record On(OffsetDateTime at) implements StartAt {
            @Override
            public ZonedDateTime after(ZonedDateTime enabled) {
                ZonedDateTime when = at.atZoneSameInstant(enabled.getZone());
                return when.isBefore(enabled) ? enabled : when;
            }
        }

        /**
         * Initial replication was done before the run: every VM starts protected, its replica in
         * step with its disks, and replicates from the first cycle (a steady state to plan with,
         * initial replication planned apart).
         */
        record Replicated() implements StartAt {
            @Override
            public ZonedDateTime after(ZonedDateTime enabled) {
                return enabled;
            }
        }

        /**
         * {@code immediately}, {@code replicated}, a time of day ({@code "22:00"}) or a date-time
         * with offset; anything else throws {@link java.time.format.DateTimeParseException}.
         */
        public static StartAt parse(String text) {
            String when = text.trim();
            if (when.equals("immediately")) {
                return new Immediately();
            }
            if (when.equals("replicated")) {
                return new Replicated();
            }
            if (when.contains("T")) {
                return new On(OffsetDateTime.parse(when));
            }
            return new DailyAt(LocalTime.parse(when.length() == 4 ? "0" + when : when));
        }
    }

    /**
     * How resynchronization runs: not automatically within {@code officeHours}; block checksums
     * over {@code blockSizeBytes}; {@code automatic} false waits for an administrator's resync.
     */
    public record Resync(WeeklyHours officeHours, long blockSizeBytes, boolean automatic) {}

    /** The site's link to Azure, the per-request latency, and the agent's upload threads per VM. */
    public record Uplink(LinkCapacity capacity, Duration latency, int uploadThreads) {}

    /** A Hyper-V host with one volume holding its VMs' disks and logs. */
    public record Host(String name, long volumeBytes, long memoryBytes, List<Vm> vms) {
        public Host {
            vms = List.copyOf(vms);
        }
    }

    /** A VM; {@code initialReplication} overrides the policy's start for it (null: the policy's). */
    public record Vm(String name, List<Disk> disks, StartAt initialReplication) {
        public Vm {
            disks = List.copyOf(disks);
        }

        public Vm(String name, List<Disk> disks) {
            this(name, disks, null);
        }
    }

    /**
     * A virtual disk and the workload writing to it (null: nothing writes); initial replication
     * sends {@code usedBytes} of it (the unallocated rest is known to be zeros).
     */
    public record Disk(String name, long sizeBytes, WorkloadSpec workload, long usedBytes) {
        public Disk(String name, long sizeBytes, WorkloadSpec workload) {
            this(name, sizeBytes, workload, sizeBytes);
        }
    }

    /**
     * A fault injected {@code at}, lasting {@code lasting} (null: to the end), striking
     * {@code host} or {@code vm} (and {@code disk}); {@code bytes} sizes it where the kind says;
     * {@code requests} limits a storage fault to that many requests (null: all while it lasts).
     */
    public record Fault(Duration at, FaultKind kind, Duration lasting, String host, String vm, String disk, Long bytes,
                        Integer requests) {}

    /**
     * An administrator's {@code action} at {@code at} on {@code vm} (null: every VM it applies
     * to), with the recovery point a failover takes and the sync a failback uses (null: defaults).
     */
    public record Action(Duration at, String action, String vm, String recoveryPoint, String sync) {}
}
