package io.replisim.simulator.hunt;

import io.replisim.simulator.fault.FaultKind;
import io.replisim.simulator.kernel.RandomStream;
import io.replisim.simulator.scenario.ActionSpec;
import io.replisim.simulator.scenario.DataSize;
import io.replisim.simulator.scenario.FaultSpec;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.Site;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Random fault schedules for a scenario, drawn from one seeded stream: 0 to {@code maxFaults}
 * faults of {@link #KINDS}, at whole seconds uniform in the scenario's
 * duration, lasting (the conditions; events have no duration) from {@link #SHORTEST} to
 * {@link #LONGEST}, log-uniformly, striking hosts and VMs of the scenario. A fault that needs an
 * administrator (authentication-failure, vm-not-found, broken-vhd-chain) gets a {@code resume}
 * action 1 to 30 minutes after it clears, so runs can finish.
 */
public final class RandomFaults {
    public static final Duration SHORTEST = Duration.ofMinutes(2);
    public static final Duration LONGEST = Duration.ofHours(4);
    /**
     * The kinds a hunt draws from: all but the storage faults added for faults on the wire
     * (storage-internal-error, storage-connection-reset, storage-slow), which the stack treats like
     * storage-unavailable; leaving them out keeps every hunt seed drawing what it drew before.
     */
    public static final List<FaultKind> KINDS = List.of(FaultKind.NETWORK_OUTAGE, FaultKind.STORAGE_UNAVAILABLE,
            FaultKind.AUTHENTICATION_FAILURE, FaultKind.LOW_DISK_SPACE, FaultKind.LOW_MEMORY, FaultKind.VM_NOT_FOUND,
            FaultKind.BROKEN_VHD_CHAIN, FaultKind.LOG_WRITE_FAILURE, FaultKind.LOG_NOT_CLOSED_CLEANLY,
            FaultKind.VHD_CHANGED_OFFLINE, FaultKind.VM_REVERTED);
    /** low-disk-space leaves this much free: nothing, or room for a few logs. */
    private static final long[] FREE_SPACE = {0, 4L << 20, 64L << 20};

    private RandomFaults() {}

    /** Faults and the actions that go with them. */
    public record Schedule(List<FaultSpec> faults, List<ActionSpec> actions) {
        public Schedule {
            faults = List.copyOf(faults);
            actions = List.copyOf(actions);
        }
    }

    /** Draws a schedule for {@code scenario} from {@code random}. */
    public static Schedule draw(Scenario scenario, RandomStream random, int maxFaults) {
        List<String> hosts = new ArrayList<>();
        List<String> vms = new ArrayList<>();
        for (Site.Host h : scenario.site().hosts()) {
            hosts.add(h.name());
            for (Site.Vm v : h.vms()) {
                vms.add(v.name());
            }
        }
        long seconds = Math.max(1, scenario.duration().toSeconds());
        int n = maxFaults <= 0 ? 0 : random.nextInt(maxFaults + 1);
        List<FaultSpec> faults = new ArrayList<>();
        List<ActionSpec> actions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FaultKind kind = KINDS.get(random.nextInt(KINDS.size()));
            Duration at = Duration.ofSeconds(random.nextLong(seconds));
            Duration lasting = null;
            if (kind.lasting()) {
                double lo = StrictMath.log(SHORTEST.toSeconds());
                double hi = StrictMath.log(LONGEST.toSeconds());
                lasting = Duration.ofSeconds(Math.round(StrictMath.exp(lo + random.nextDouble() * (hi - lo))));
            }
            String host = null;
            String vm = null;
            DataSize bytes = null;
            switch (kind.scope()) {
                case HOST -> host = hosts.get(random.nextInt(hosts.size()));
                case VM -> vm = vms.get(random.nextInt(vms.size()));
                default -> { }
            }
            if (kind == FaultKind.LOW_DISK_SPACE) {
                bytes = new DataSize(FREE_SPACE[random.nextInt(FREE_SPACE.length)]);
            }
            FaultSpec fault = new FaultSpec(at, kind.label(), lasting, host, vm, null, bytes);
            faults.add(fault);
            ActionSpec resume = resumeAfter(fault, Duration.ofSeconds(60 + random.nextLong(29 * 60 + 1)));
            if (resume != null) {
                actions.add(resume);
            }
        }
        return new Schedule(faults, actions);
    }

    /** Whether a fault of this kind leaves a VM in Error until an administrator resumes it. */
    public static boolean needsAdministrator(FaultKind kind) {
        return kind == FaultKind.AUTHENTICATION_FAILURE || kind == FaultKind.VM_NOT_FOUND || kind == FaultKind.BROKEN_VHD_CHAIN;
    }

    /**
     * The {@code resume} an administrator gives {@code delay} after {@code fault} clears (for its
     * VM, or every VM for a site fault), or null if the fault needs none.
     */
    public static ActionSpec resumeAfter(FaultSpec fault, Duration delay) {
        FaultKind kind = FaultKind.parse(fault.kind());
        if (kind == null || !needsAdministrator(kind)) {
            return null;
        }
        Duration cleared = fault.lasting() == null ? fault.at() : fault.at().plus(fault.lasting());
        return new ActionSpec(cleared.plus(delay), "resume", fault.vm(), null);
    }

    /** {@code scenario} with its faults and actions followed by {@code schedule}'s, and no expectations. */
    public static Scenario apply(Scenario scenario, Schedule schedule) {
        List<FaultSpec> faults = new ArrayList<>(scenario.faults());
        faults.addAll(schedule.faults());
        List<ActionSpec> actions = new ArrayList<>(scenario.actions());
        actions.addAll(schedule.actions());
        return new Scenario(scenario.name(), scenario.seed(), scenario.start(), scenario.timeZone(), scenario.duration(),
                scenario.fidelity(), scenario.policy(), scenario.site(), scenario.resync(), faults, actions, List.of());
    }
}
