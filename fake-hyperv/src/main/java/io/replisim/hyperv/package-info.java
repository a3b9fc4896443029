/**
 * Emulated Hyper-V hosts: volumes on Jimfs, virtual machines with VHDX disks, replication
 * checkpoints, {@code .hrl} replication logs and guest workloads.
 *
 * <p>Entry point: {@link io.replisim.hyperv.HyperVHost#start}. Replication is driven through the
 * WMI-shaped {@link io.replisim.hyperv.ReplicationService} and observed through each VM's
 * {@link io.replisim.hyperv.ReplicationTracker}. The package knows nothing of Azure or of the
 * simulator: time comes from the {@link java.time.InstantSource} the host is given, randomness
 * from the {@link java.util.random.RandomGenerator}s a {@link io.replisim.hyperv.Workload} is
 * given. Nothing here is thread-safe; a host belongs to one simulation thread.
 */
package io.replisim.hyperv;
