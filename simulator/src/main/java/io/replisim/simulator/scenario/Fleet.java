package io.replisim.simulator.scenario;

import java.util.List;

/**
 * Many alike hosts and VMs from one template, so a fleet needs no thousand lines:
 * <pre>
 * fleet:
 *   - hosts: 10                    # hosts of this group (default 1)
 *     hostName: "par-hv{00}"       # {0}, {00}, {000}...: the host's number from 1, padded
 *     volume: 16TiB
 *     vmsPerHost: 20
 *     vmName: "par-vm{000}"        # the VM's number in the group, from 1
 *     disks:
 *       - { name: os, size: 127GiB, churn: { rate: { between: [32KiB/s, 256KiB/s] } } }
 *       - { name: data, size: { oneOf: [256GiB, 512GiB] }, churn: { rate: { lognormal: { median: 512KiB/s, sigma: 0.8 } } } }
 * </pre>
 * Each VM draws its {@link Spread} values from its own stream, named after the site, the
 * group, the VM and the field, of the scenario file's {@code seed} (not the run's: {@code --seed}
 * varies the workloads, never the fleet), so adding a VM changes no other VM's draws.
 */
public record Fleet(Integer hosts, String hostName, DataSize volume, DataSize memory, Integer vmsPerHost, String vmName,
                    List<Disk> disks) {
    public Fleet {
        disks = disks == null ? null : List.copyOf(disks);
    }

    public int effectiveHosts() {
        return hosts == null ? 1 : hosts;
    }

    public int effectiveVmsPerHost() {
        return vmsPerHost == null ? 1 : vmsPerHost;
    }

    /** A disk of every VM of the group: its size and churn rate may vary by VM. */
    public record Disk(String name, Spread<DataSize> size, Churn churn) {}

    /** A disk's churn, as {@link Site.Churn} has it, with a rate that may vary by VM (or a profile that does not). */
    public record Churn(Spread<DataRate> rate, String profile, DataSize ioSize, List<Site.IoSizeShare> ioSizes,
                        Double hotspot, Double hotShare, Site.Zipf zipf, List<Double> hourly, List<Site.Burst> bursts) {
        public Churn {
            ioSizes = ioSizes == null ? List.of() : List.copyOf(ioSizes);
            hourly = hourly == null ? List.of() : List.copyOf(hourly);
            bursts = bursts == null ? List.of() : List.copyOf(bursts);
        }

        /** The churn of one VM whose rate was drawn (null with a profile alone). */
        Site.Churn with(DataRate drawn) {
            return new Site.Churn(drawn, profile, ioSize, ioSizes, hotspot, hotShare, zipf, hourly, bursts, null);
        }
    }

}
