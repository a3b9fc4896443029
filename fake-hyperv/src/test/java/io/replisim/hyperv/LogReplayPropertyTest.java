package io.replisim.hyperv;

import static io.replisim.hyperv.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The property replication rests on: the disk as it was when replication started, plus every
 * sealed log replayed in sequence order, is the disk now; whatever the writes, wherever the logs
 * were switched, and whether initial replication completed (merging the checkpoint) meanwhile.
 */
class LogReplayPropertyTest {

    private static final int DISK_SECTORS = (int) (8 * MIB / 512);

    /** kind 0-6: write; 7-8: switch that disk's log; 9: complete initial replication. */
    record Op(int kind, int disk, int sector, int sectors, int seed) {

        @Override
        public String toString() {
            return kind <= 6 ? "write(disk" + disk + ", sector " + sector + " x" + sectors + ", #" + seed + ")"
                    : kind <= 8 ? "switch(disk" + disk + ")" : "completeIR";
        }
    }

    private static Gen<Op> ops() {
        // Up to 160 KiB: many writes cross the disks' 1 MiB VHDX blocks.
        return integers().between(0, 9).zip(integers().between(0, 1), integers().between(0, DISK_SECTORS - 1),
                integers().between(1, 320), integers().all(),
                (kind, disk, sector, sectors, seed) -> new Op(kind, disk, Math.min(sector, DISK_SECTORS - sectors),
                        sectors, seed));
    }

    @Test
    void replayingTheSealedLogsOntoTheStartingDiskReproducesTheDisk() {
        qt().withFixedSeed(20260105L).withExamples(40).forAll(lists().of(ops()).ofSizeBetween(0, 40))
                .checkAssert(LogReplayPropertyTest::replayReproducesDisks);
    }

    private static void replayReproducesDisks(List<Op> ops) {
        try (HyperVHost host = Fixtures.host(new TestClock(), 128 * MIB)) {
            VirtualMachine vm = host.createVm("vm1", "C");
            List<VirtualDisk> disks = List.of(vm.addDisk("disk0", 8 * MIB), vm.addDisk("disk1", 8 * MIB));
            for (VirtualDisk d : disks) {
                d.write(3 * MIB, Fixtures.pattern((int) MIB, 99), 0, (int) MIB); // data from before replication
            }
            ReplicationService service = host.replicationService();
            service.createReplicationRelationship(vm);
            service.startReplication(vm);
            List<byte[]> copies = new ArrayList<>();
            for (VirtualDisk d : disks) {
                copies.add(Fixtures.readAll(d.checkpointView().orElseThrow()));
            }

            ReplicationTracker tracker = vm.replicationTracker();
            for (Op op : ops) {
                VirtualDisk d = disks.get(op.disk());
                if (op.kind() <= 6) {
                    byte[] data = Fixtures.pattern(op.sectors() * 512, op.seed());
                    d.write(op.sector() * 512L, data, 0, data.length);
                } else if (op.kind() <= 8) {
                    tracker.switchLog(d);
                } else if (vm.replicationState() == ReplicationState.WAITING_TO_COMPLETE_INITIAL_REPLICATION) {
                    service.completeInitialReplication(vm);
                }
            }
            tracker.switchLogs();

            long[] nextSequence = {1, 1};
            for (SealedLog sealed : tracker.pendingLogs()) {
                int i = sealed.diskName().equals("disk0") ? 0 : 1;
                HrlReader log = HrlReader.read(sealed.path());
                assertEquals(disks.get(i).id(), log.diskId());
                assertEquals(nextSequence[i]++, log.sequence(), "logs of a disk are sealed in sequence");
                for (HrlRecord r : log.records()) {
                    r.copyPayload(copies.get(i), (int) r.offset());
                }
            }
            for (int i = 0; i < disks.size(); i++) {
                assertArrayEquals(Fixtures.readAll(disks.get(i)), copies.get(i), "disk" + i + " after " + ops);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
