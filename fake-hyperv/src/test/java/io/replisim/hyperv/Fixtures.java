package io.replisim.hyperv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Small hosts and helpers shared by the tests. */
final class Fixtures {

    static final long MIB = 1024L * 1024;

    private Fixtures() {}

    static HyperVHost host(TestClock clock, long volumeBytes) {
        return host(clock, volumeBytes, Fidelity.BYTES);
    }

    static HyperVHost host(TestClock clock, long volumeBytes, Fidelity fidelity) {
        return HyperVHost.start(HostConfig.standalone("hv01").toBuilder()
                .setVolumes(List.of(VolumeConfig.of("C", volumeBytes))).setFidelity(fidelity).build(), clock);
    }

    /** A VM with one disk per size, replicating (initial replication complete). */
    static VirtualMachine replicatingVm(HyperVHost host, long... diskSizes) throws IOException {
        VirtualMachine vm = host.createVm("vm1", "C");
        for (int i = 0; i < diskSizes.length; i++) {
            vm.addDisk("disk" + i, diskSizes[i]);
        }
        ReplicationService service = host.replicationService();
        service.createReplicationRelationship(vm);
        service.startReplication(vm);
        service.completeInitialReplication(vm);
        return vm;
    }

    /**
     * The content model fidelity reads for {@code [offset, offset + length)} once written at
     * {@code version}: each sector the matching slice of its 4 KiB block's {@link BlockContent}.
     */
    static byte[] blockContent(VirtualDisk disk, long offset, int length, long version) {
        byte[] out = new byte[length];
        byte[] block = new byte[BlockContent.BLOCK_SIZE];
        for (int at = 0; at < length; at += 512) {
            long pos = offset + at;
            BlockContent.fill(disk.contentSeed(), disk.id(), pos / BlockContent.BLOCK_SIZE, version, block, 0);
            System.arraycopy(block, (int) (pos % BlockContent.BLOCK_SIZE), out, at, 512);
        }
        return out;
    }

    /** A 512-aligned buffer filled with a recognisable pattern. */
    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + (i >>> 9));
        }
        return b;
    }

    static byte[] readAll(DiskView disk) throws IOException {
        byte[] all = new byte[(int) disk.sizeBytes()];
        disk.read(0, all, 0, all.length);
        return all;
    }

    static void zero(byte[] b) {
        Arrays.fill(b, (byte) 0);
    }

    /** Every .hrl file under the folder, in name order. */
    static List<Path> hrlFiles(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".hrl")).sorted().toList();
        }
    }
}
