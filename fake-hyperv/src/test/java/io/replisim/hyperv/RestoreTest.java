package io.replisim.hyperv;

import static io.replisim.hyperv.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A failback's restore: the copied range takes the copy's content versions, not new ones. */
class RestoreTest {

    private final TestClock clock = new TestClock();

    @Test
    void aRestoredRangeHoldsTheCopysBytesAndVersionsRunByRun() throws Exception {
        for (Fidelity fidelity : Fidelity.values()) {
            try (HyperVHost host = Fixtures.host(clock, 64 * MIB, fidelity)) {
                VirtualDisk disk = host.createVm("vm1", "C").addDisk("disk0", 4 * MIB);
                byte[] first = Fixtures.pattern(8192, 1);
                byte[] second = Fixtures.pattern(4096, 2);
                disk.write(0, first, 0, first.length);
                disk.write(4096, second, 0, second.length); // two runs in the first 8 KiB
                ExtentMap copy = disk.contentVersions();
                byte[] copied = new byte[16384];
                disk.read(0, copied, 0, copied.length);
                byte[] later = Fixtures.pattern(16384, 3);
                disk.write(0, later, 0, later.length);
                long newest = disk.contentVersionAt(0);

                disk.restore(0, copied, 0, copied.length, copy);

                assertEquals(copy.extents(), disk.contentVersions().extents(), fidelity + ": the copy's versions, run by run");
                assertTrue(disk.contentVersionAt(0) < disk.contentVersionAt(4096), "two runs, as in the copy");
                if (fidelity == Fidelity.BYTES) {
                    byte[] now = new byte[16384];
                    disk.read(0, now, 0, now.length);
                    assertArrayEquals(copied, now);
                }
                disk.write(0, first, 0, 512);
                assertTrue(disk.contentVersionAt(0) > newest, "later writes still take new versions");
            }
        }
    }

    @Test
    void aRestoreIsRefusedWhileWritesAreTracked() throws Exception {
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB)) {
            VirtualMachine vm = Fixtures.replicatingVm(host, 4 * MIB);
            VirtualDisk disk = vm.disks().get(0);
            byte[] data = new byte[4096];
            Arrays.fill(data, (byte) 7);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> disk.restore(0, data, 0, data.length, disk.contentVersions()));
            assertTrue(e.getMessage().contains("while its writes are tracked"), e.getMessage());
        }
    }
}
