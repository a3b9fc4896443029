/**
 * Emulated Hyper-V hosts: volumes on Jimfs, virtual machines with VHDX disks, replication
 * checkpoints, {@code .hrl} replication logs, guest workloads and host faults.
 *
 * <p>Entry point: {@link io.replisim.hyperv.HyperVHost#start}. Replication is driven through the
 * WMI-shaped {@link io.replisim.hyperv.ReplicationService} and observed through each VM's
 * {@link io.replisim.hyperv.ReplicationTracker}. A host's {@link io.replisim.hyperv.Fidelity}
 * decides whether disks and logs hold real bytes or only their content versions
 * ({@link io.replisim.hyperv.ExtentMap}) and sizes; the API and the tracker's figures are the
 * same in both. Faults are injected with {@link io.replisim.hyperv.HyperVHost#inject} (see
 * {@link io.replisim.hyperv.HostFaultKind}). The package knows nothing of Azure or of the
 * simulator: time comes from the {@link java.time.InstantSource} the host is given, randomness
 * from the {@link java.util.random.RandomGenerator}s a {@link io.replisim.hyperv.Workload} is
 * given. Nothing here is thread-safe; a host belongs to one simulation thread. See
 * {@code docs/fake-hyperv.md}.
 */
package io.replisim.hyperv;
