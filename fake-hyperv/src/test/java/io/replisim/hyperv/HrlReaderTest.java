package io.replisim.hyperv;

import static io.replisim.hyperv.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HrlReaderTest {

    private final TestClock clock = new TestClock();
    private HyperVHost host;
    private VirtualDisk disk;
    private ReplicationTracker tracker;

    @BeforeEach
    void trackingVm() throws IOException {
        host = Fixtures.host(clock, 128 * MIB);
        VirtualMachine vm = host.createVm("vm1", "C");
        disk = vm.addDisk("disk0", 8 * MIB);
        host.replicationService().createReplicationRelationship(vm);
        host.replicationService().startReplication(vm);
        tracker = vm.replicationTracker();
        disk.write(0, Fixtures.pattern(4096, 1), 0, 4096);
        disk.write(MIB, Fixtures.pattern(2048, 2), 0, 2048);
    }

    @AfterEach
    void close() throws IOException {
        host.close();
    }

    @Test
    void aLogWithoutCloseMarkerIsRejected() throws IOException {
        byte[] unsealed = Files.readAllBytes(tracker.activeLogPath(disk).orElseThrow());
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> HrlReader.read(unsealed));
        assertTrue(e.getMessage().contains("no close marker after 2 records"), e.getMessage());
    }

    @Test
    void aFlippedPayloadByteIsRejected() throws IOException {
        byte[] log = Files.readAllBytes(tracker.switchLog(disk).path());
        assertEquals(2, HrlReader.read(log).records().size());
        int payloadByte = HrlFormat.HEADER_SIZE + HrlFormat.WRITE_HEAD_SIZE + 100;
        log[payloadByte] ^= 0x01;
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> HrlReader.read(log));
        assertTrue(e.getMessage().contains("write record 1 fails its CRC-32C check"), e.getMessage());
        assertTrue(e.getMessage().contains("at byte " + HrlFormat.HEADER_SIZE), e.getMessage());
    }

    @Test
    void damageAnywhereElseIsRejectedToo() throws IOException {
        byte[] log = Files.readAllBytes(tracker.switchLog(disk).path());
        for (int at : new int[] {0, 20, 44, HrlFormat.HEADER_SIZE + 9, log.length - 20, log.length - 2}) {
            byte[] damaged = log.clone();
            damaged[at] ^= 0x40;
            assertThrows(CorruptLogException.class, () -> HrlReader.read(damaged), "byte " + at);
        }
        byte[] truncated = Arrays.copyOf(log, log.length - 1);
        assertThrows(CorruptLogException.class, () -> HrlReader.read(truncated));
        byte[] trailing = Arrays.copyOf(log, log.length + 1);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> HrlReader.read(trailing));
        assertTrue(e.getMessage().contains("after the close marker"), e.getMessage());
        CorruptLogException magic = assertThrows(CorruptLogException.class, () -> HrlReader.read(new byte[64]));
        assertTrue(magic.getMessage().contains("bad magic"), magic.getMessage());
    }

    @Test
    void theReaderNamesTheFileItRejects() throws IOException {
        var active = tracker.activeLogPath(disk).orElseThrow();
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> HrlReader.read(active));
        assertTrue(e.getMessage().contains(active.toString()), e.getMessage());
    }
}
