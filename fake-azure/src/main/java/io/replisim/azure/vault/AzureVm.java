package io.replisim.azure.vault;

import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The Azure VM a failover creates: its disks are page blobs copied from a recovery point's
 * snapshots, and it is attached to the Azure virtual network the VM's network is mapped to.
 *
 * @param name              the Azure VM's name: the protected VM's, with {@code -test} for a test failover
 * @param sourceVm          the protected VM's name
 * @param testFailover      whether a test failover created it (to be removed by its cleanup)
 * @param virtualNetwork    the Azure VNet it is attached to
 * @param recoveryPointTime the time of the recovery point its disks come from
 * @param appConsistent     whether that point is app-consistent
 * @param createdAt         when the failover created it
 * @param disks             disk id -> the page blob holding the disk (a fixed VHD)
 */
public record AzureVm(String name, String sourceVm, boolean testFailover, String virtualNetwork,
        Instant recoveryPointTime, boolean appConsistent, Instant createdAt, SortedMap<String, Disk> disks) {

    /** The container failover disks are copied into. */
    public static final String DISK_CONTAINER = "azure-vm-disks";

    /** Suffix ASR gives a test failover's VM. */
    public static final String TEST_SUFFIX = "-test";

    public AzureVm {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sourceVm, "sourceVm");
        Objects.requireNonNull(virtualNetwork, "virtualNetwork");
        Objects.requireNonNull(recoveryPointTime, "recoveryPointTime");
        Objects.requireNonNull(createdAt, "createdAt");
        disks = Collections.unmodifiableSortedMap(new TreeMap<>(disks));
    }

    /** One disk of the VM: where its page blob is. */
    public record Disk(String diskId, String container, String blob) {
        public Disk {
            Objects.requireNonNull(diskId, "diskId");
            Objects.requireNonNull(container, "container");
            Objects.requireNonNull(blob, "blob");
        }
    }
}
