package io.replisim.hyperv;

import static io.replisim.hyperv.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeTest {

    private final TestClock clock = new TestClock();

    @Test
    void volumeExhaustionRaisesVolumeFullExceptionNamingTheVolume() throws Exception {
        HostConfig config = HostConfig.builder("hv01").addVolume(VolumeConfig.of("C", 64 * MIB))
                .addVolume(VolumeConfig.of("D", 12 * MIB)).build();
        try (HyperVHost host = HyperVHost.start(config, clock)) {
            VirtualDisk disk = host.createVm("vm1", "D").addDisk("disk0", 32 * MIB);
            byte[] chunk = Fixtures.pattern((int) MIB, 1);
            VolumeFullException full = null;
            long written = 0;
            for (; written < disk.sizeBytes() && full == null; written += MIB) {
                try {
                    disk.write(written, chunk, 0, chunk.length);
                } catch (VolumeFullException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "a 32 MiB disk cannot fill on a 12 MiB volume");
            assertEquals("D", full.volumeName());
            assertTrue(full.getMessage().startsWith("There is not enough space on the disk."), full.getMessage());
            assertTrue(full.getMessage().contains("Volume D"), full.getMessage());
            Volume d = host.volume("D");
            assertTrue(d.freeBytes() < MIB, "free " + d.freeBytes());
            assertEquals(d.capacityBytes(), d.usedBytes() + d.freeBytes());
            assertEquals(0, host.volume("C").usedBytes());
        }
    }

    @Test
    void filesCarryTheHostsSimulatedTimesNotTheWallClock() throws Exception {
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB)) {
            VirtualDisk disk = host.createVm("vm1", "C").addDisk("disk0", 16 * MIB);
            assertEquals(TestClock.START, Files.getLastModifiedTime(disk.path()).toInstant());
            clock.advance(java.time.Duration.ofHours(5));
            disk.write(0, Fixtures.pattern(4096, 1), 0, 4096);
            assertEquals(TestClock.START.plus(java.time.Duration.ofHours(5)),
                    Files.getLastModifiedTime(disk.path()).toInstant());
        }
    }

    @Test
    void aWriteThatDoesNotFitChangesNothing() throws Exception {
        try (HyperVHost host = Fixtures.host(clock, 8 * MIB)) {
            VirtualDisk disk = host.createVm("vm1", "C").addDisk("disk0", 16 * MIB);
            byte[] before = Fixtures.readAll(disk);
            // Spans two 1 MiB VHDX blocks: the first may be allocated before the second fails.
            long offset = 2 * MIB - 64 * 1024;
            byte[] data = Fixtures.pattern((int) (6 * MIB), 2);
            assertThrows(VolumeFullException.class, () -> disk.write(offset, data, 0, data.length));
            assertArrayEquals(before, Fixtures.readAll(disk));
        }
    }

    @Test
    void eachVolumeIsItsOwnFileSystemAndVmsGetAFolderWithVirtualHardDisks() throws Exception {
        HostConfig config = HostConfig.standalone("hv01").toBuilder()
                .setVolumes(List.of(VolumeConfig.of("C", 64 * MIB), VolumeConfig.of("D", 64 * MIB))).build();
        try (HyperVHost host = HyperVHost.start(config, clock)) {
            VirtualMachine vm = host.createVm("sql01", "d");
            VirtualDisk disk = vm.addDisk("data", 8 * MIB);
            assertEquals("/sql01/Virtual Hard Disks/data.vhdx", disk.path().toString());
            assertTrue(Files.exists(disk.path()));
            assertTrue(disk.path().getFileSystem() != host.volume("C").root().getFileSystem());
            assertTrue(host.volume("D").usedBytes() > 0);
            assertEquals(0, host.volume("C").usedBytes());
            assertThrows(IllegalArgumentException.class, () -> host.createVm("SQL01", "C"));
            assertThrows(IllegalArgumentException.class, () -> host.createVm("x", "E"));
        }
    }
}
