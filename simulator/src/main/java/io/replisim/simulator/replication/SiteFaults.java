package io.replisim.simulator.replication;

import io.replisim.hyperv.HostFault;
import io.replisim.hyperv.HyperVHost;
import io.replisim.simulator.fault.FaultKind;
import io.replisim.simulator.fault.StorageFaults;
import io.replisim.simulator.trace.TraceEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The faults a site's configuration schedules, as they strike: an outage takes the uplink down,
 * storage faults go to the storage account's fault switch, host and VM faults to the emulated
 * Hyper-V hosts.
 */
final class SiteFaults {
    private final ReplicationSite site;
    private final StorageFaults storageFaults;

    SiteFaults(ReplicationSite site, StorageFaults storageFaults) {
        this.site = site;
        this.storageFaults = storageFaults;
    }

    /** The site's network outages lasting now: they may overlap, and the link is up only when none lasts. */
    private int outages;

    void inject(FaultKind kind, ReplicationConfig.Fault f) {
        struck(f, () -> injectNow(kind, f));
    }

    /**
     * Flow fidelity: the VMs {@code f} strikes wrote up to the last step before it comes or goes
     * (writes while a VM is off are lost, not caught up later), and are looked at the next step,
     * as model fidelity's workload step would.
     */
    private void struck(ReplicationConfig.Fault f, Runnable change) {
        List<ProtectedVm> struck = site.vms().stream()
                .filter(vm -> f.vm() != null ? vm.name().equals(f.vm()) : f.host() != null && vm.host.equals(f.host())).toList();
        struck.forEach(ProtectedVm::catchUp);
        change.run();
        for (ProtectedVm vm : struck) {
            vm.lookAt(ReplicationSite.stepAfter(site.kernel().now()));
        }
    }

    private void injectNow(FaultKind kind, ReplicationConfig.Fault f) {
        site.trace().emit(new TraceEvent.FaultInjected(f.host(), f.vm(), kind.label(), f.lasting(), f.requests()));
        if (kind.storage()) {
            storageFaults.strike(kind, f.requests());
            return;
        }
        switch (kind) {
            case NETWORK_OUTAGE -> {
                outages++;
                site.trace().emit(new TraceEvent.UplinkCapacity(site.uplink().name(), 0, "outage"));
                site.uplink().fail("the uplink " + site.uplink().name() + " is down (network outage)");
            }
            default -> {
                HostFault fault = hostFault(kind, f);
                try {
                    hostOf(f).inject(fault);
                } catch (IOException e) {
                    // the fault cannot strike (a VM that is gone cannot be reverted): it passes at once
                    site.trace().emit(new TraceEvent.FaultCleared(f.host(), f.vm(), kind.label()));
                }
            }
        }
    }

    void clear(FaultKind kind, ReplicationConfig.Fault f) {
        struck(f, () -> clearNow(kind, f));
    }

    private void clearNow(FaultKind kind, ReplicationConfig.Fault f) {
        site.trace().emit(new TraceEvent.FaultCleared(f.host(), f.vm(), kind.label()));
        if (kind.storage()) {
            storageFaults.clear(kind);
            return;
        }
        switch (kind) {
            case NETWORK_OUTAGE -> {
                if (--outages > 0) {
                    return; // another outage of the site still lasts: the link stays down until it ends
                }
                site.uplink().restore();
                site.trace().emit(new TraceEvent.UplinkCapacity(site.uplink().name(), site.uplink().capacity(), "restored"));
            }
            default -> {
                try {
                    hostOf(f).clear(hostFault(kind, f));
                } catch (IOException e) {
                    throw new UncheckedIOException("clearing " + kind.label() + " failed", e);
                }
            }
        }
    }

    /** The Hyper-V fault a scenario's host or VM fault stands for. */
    private HostFault hostFault(FaultKind kind, ReplicationConfig.Fault f) {
        return switch (kind) {
            case LOW_DISK_SPACE -> HostFault.lowDiskSpace(ReplicationSite.VOLUME, f.bytes() == null ? 0 : f.bytes());
            case LOW_MEMORY -> HostFault.lowMemory();
            case VM_NOT_FOUND -> HostFault.vmNotFound(f.vm());
            case BROKEN_VHD_CHAIN -> f.disk() == null ? HostFault.brokenVhdChain(f.vm()) : HostFault.brokenVhdChain(f.vm(), f.disk());
            case LOG_WRITE_FAILURE -> HostFault.logWriteFailure(f.vm());
            case LOG_NOT_CLOSED_CLEANLY -> HostFault.logNotClosedCleanly(f.vm());
            case VHD_CHANGED_OFFLINE -> f.disk() == null && f.bytes() == null ? HostFault.vhdChangedOffline(f.vm())
                    : HostFault.vhdChangedOffline(f.vm(), f.disk() != null ? f.disk() : firstDisk(f.vm()),
                            f.bytes() == null ? HostFault.DEFAULT_OFFLINE_CHANGE_BYTES : f.bytes());
            case VM_REVERTED -> HostFault.vmReverted(f.vm());
            default -> throw new IllegalArgumentException(kind + " is not a host fault");
        };
    }

    private String firstDisk(String vmName) {
        return site.vms().stream().filter(v -> v.name().equals(vmName)).findFirst().orElseThrow().disks.get(0).name();
    }

    private HyperVHost hostOf(ReplicationConfig.Fault f) {
        if (f.host() != null) {
            return site.host(f.host());
        }
        for (ProtectedVm vm : site.vms()) {
            if (vm.name().equals(f.vm())) {
                return site.host(vm.host);
            }
        }
        throw new IllegalStateException("no host for fault " + f);
    }
}
