package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.storage.MemoryBlobStorage;
import io.replisim.azure.storage.ReplicaDisk;
import io.replisim.hyperv.BlockContent;
import io.replisim.hyperv.CorruptLogException;
import io.replisim.hyperv.DiskView;
import io.replisim.hyperv.ExtentMap;
import io.replisim.hyperv.Fidelity;
import io.replisim.hyperv.HostConfig;
import io.replisim.hyperv.HyperVHost;
import io.replisim.hyperv.LoggedWrite;
import io.replisim.hyperv.SealedLog;
import io.replisim.hyperv.VirtualDisk;
import io.replisim.hyperv.VirtualMachine;
import io.replisim.hyperv.VolumeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A replica's contract in each fidelity, checked against content set up by hand (not by the
 * stack): logs apply once and in order, an unsealed log is refused, a copy or a resync brings the
 * frozen source's content only once every piece arrived, and the checks a failover and a
 * failback make tell a match from a mismatch.
 */
class ReplicaTest {
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-01-05T07:00:00Z"));

    private final List<HyperVHost> hosts = new ArrayList<>();
    private final BlobStorage storage = new MemoryBlobStorage(CLOCK);
    private int disks;

    @AfterEach
    void closeHosts() throws IOException {
        for (HyperVHost h : hosts) {
            h.close();
        }
    }

    /** A new disk of {@code size} on a host of {@code fidelity}, no workload on it. */
    private VirtualDisk disk(Fidelity fidelity, long size) throws IOException {
        HostConfig config = HostConfig.standalone("hv" + hosts.size()).toBuilder().setFidelity(fidelity)
                .setVolumes(List.of(VolumeConfig.of("C", 64 * 1024 * MIB))).build();
        HyperVHost host = HyperVHost.start(config, CLOCK);
        hosts.add(host);
        VirtualMachine vm = host.createVm("vm1", "C");
        return vm.addDisk("os", size);
    }

    private Replica replica(Fidelity fidelity, VirtualDisk source) {
        if (disks == 0) {
            storage.createContainer("replicas");
        }
        return Replica.create(storage, "replicas", "disk" + disks++, new DiskReplication(source, null, source.sizeBytes()),
                CLOCK.instant(), fidelity);
    }

    private Replica replica(Fidelity fidelity, long size) throws IOException {
        return replica(fidelity, disk(fidelity, size));
    }

    /** A frozen source (a checkpoint) of {@code size} holding {@code versions}, and zeros as bytes. */
    private static DiskView frozen(ExtentMap versions) {
        return frozen(versions, new byte[(int) Math.min(versions.sizeBytes(), 64 * MIB)]);
    }

    private static DiskView frozen(ExtentMap versions, byte[] content) {
        return new DiskView() {
            @Override
            public long sizeBytes() {
                return versions.sizeBytes();
            }

            @Override
            public void read(long offset, byte[] dst, int dstOffset, int length) {
                if (offset < 0 || offset + length > sizeBytes()) {
                    throw new IndexOutOfBoundsException("read " + length + " at " + offset + " of " + sizeBytes());
                }
                System.arraycopy(content, (int) offset, dst, dstOffset, length);
            }

            @Override
            public ExtentMap contentVersions() {
                return versions.copy();
            }
        };
    }

    private static ExtentMap versions(long size, long... offsetLengthVersion) {
        ExtentMap m = new ExtentMap(size);
        for (int i = 0; i < offsetLengthVersion.length; i += 3) {
            m.assign(offsetLengthVersion[i], offsetLengthVersion[i + 1], offsetLengthVersion[i + 2]);
        }
        return m;
    }

    /** Flow fidelity's content: one version for the whole disk. */
    private static ExtentMap whole(long size, long version) {
        return version == 0 ? new ExtentMap(size) : versions(size, 0, size, version);
    }

    private static SealedLog log(long sequence, boolean sealedCleanly, Fidelity fidelity, List<LoggedWrite> writes, long lastVersion) {
        return new SealedLog("vm1", "os", java.util.UUID.nameUUIDFromBytes(new byte[] {1}), sequence, Path.of("os-" + sequence + ".hrl"),
                4096, writes.isEmpty() && lastVersion > 0 ? 1 : writes.size(), fidelity, sealedCleanly, writes, lastVersion);
    }

    private static List<String> asList(List<long[]> blocks) {
        return blocks.stream().map(Arrays::toString).toList();
    }

    // ---- logs ----

    @Test
    void aLogNotSealedCleanlyIsNotAppliedInModelOrFlow() throws IOException {
        Replica model = replica(Fidelity.MODEL, 1 * MIB);
        String before = model.digest();
        assertThrows(CorruptLogException.class, () -> model.apply(log(1, false, Fidelity.MODEL,
                List.of(new LoggedWrite(0, 4096, 3)), 3), new byte[0]));
        assertEquals(before, model.digest());
        Replica flow = replica(Fidelity.FLOW, 1 * MIB);
        assertThrows(CorruptLogException.class, () -> flow.apply(log(1, false, Fidelity.FLOW, List.of(), 3), new byte[0]));
        assertEquals(whole(MIB, 0).fingerprint(), flow.digest());
    }

    @Test
    void aModelLogAppliesOnceAndInOrder() throws Exception {
        Replica model = replica(Fidelity.MODEL, 1 * MIB);
        assertTrue(model.apply(log(1, true, Fidelity.MODEL, List.of(new LoggedWrite(0, 4096, 3)), 3), new byte[0]));
        assertFalse(model.apply(log(1, true, Fidelity.MODEL, List.of(new LoggedWrite(0, 4096, 9)), 9), new byte[0]),
                "a log applied already is skipped");
        assertEquals(versions(MIB, 0, 4096, 3).fingerprint(), model.digest());
        assertTrue(model.apply(log(2, true, Fidelity.MODEL, List.of(new LoggedWrite(8192, 4096, 4)), 4), new byte[0]));
        assertEquals(versions(MIB, 0, 4096, 3, 8192, 4096, 4).fingerprint(), model.digest());
    }

    @Test
    void aFlowLogAppliesOnceAndAnEmptyOneKeepsTheVersion() throws Exception {
        Replica flow = replica(Fidelity.FLOW, 1 * MIB);
        assertTrue(flow.apply(log(1, true, Fidelity.FLOW, List.of(), 5), new byte[0]));
        assertFalse(flow.apply(log(1, true, Fidelity.FLOW, List.of(), 9), new byte[0]), "a log applied already is skipped");
        assertEquals(whole(MIB, 5).fingerprint(), flow.digest());
        assertTrue(flow.apply(log(2, true, Fidelity.FLOW, List.of(), 0), new byte[0]), "a log without records applies");
        assertEquals(whole(MIB, 5).fingerprint(), flow.digest(), "and brings no version");
        assertTrue(flow.apply(log(3, true, Fidelity.FLOW, List.of(), 7), new byte[0]));
        assertEquals(whole(MIB, 7).fingerprint(), flow.digest());
    }

    @Test
    void aBytesLogAppliesOnceFromItsUploadedFile() throws Exception {
        VirtualDisk source = disk(Fidelity.BYTES, 1 * MIB);
        Replica replica = replica(Fidelity.BYTES, source);
        var service = source.vm().host().replicationService();
        service.createReplicationRelationship(source.vm());
        service.startReplication(source.vm());
        byte[] data = new byte[4096];
        Arrays.fill(data, (byte) 7);
        source.write(8192, data, 0, data.length);
        SealedLog sealed = source.vm().replicationTracker().switchLog(source);
        byte[] uploaded = Files.readAllBytes(sealed.path());
        assertTrue(replica.apply(sealed, uploaded));
        assertArrayEquals(data, replica.disk.readData(8192, 4096));
        assertFalse(replica.apply(sealed, uploaded), "a log applied already is skipped");
    }

    // ---- initial replication's pieces ----

    @Test
    void arrivalsCountEachPieceOnce() {
        long size = 16 * MIB; // four pieces of 4 MiB
        Replica.Arrivals arrivals = new Replica.Arrivals(frozen(new ExtentMap(size)), size);
        assertEquals(4 * MIB, arrivals.chunk);
        assertFalse(arrivals.arrive(0));
        assertFalse(arrivals.arrive(MIB), "the same piece again");
        assertTrue(arrivals.has(4 * MIB - 1) && !arrivals.has(4 * MIB));
        assertEquals(4 * MIB, arrivals.bytesArrived());
        assertFalse(arrivals.arrive(8 * MIB));
        assertFalse(arrivals.arrive(12 * MIB));
        assertEquals(12 * MIB, arrivals.bytesArrived());
        assertTrue(arrivals.arrive(4 * MIB), "the last piece");
    }

    @Test
    void aModelCopyHoldsTheFrozenSourceOnlyWherePiecesArrived() throws IOException {
        long size = 16 * MIB;
        Replica model = replica(Fidelity.MODEL, size);
        ExtentMap source = versions(size, 0, 6 * MIB, 3, 6 * MIB, 2 * MIB, 5, 12 * MIB, 4 * MIB, 8);
        DiskView checkpoint = frozen(source);
        model.copy(checkpoint, 4 * MIB, 4 * MIB);
        ExtentMap mid = versions(size, 4 * MIB, 2 * MIB, 3, 6 * MIB, 2 * MIB, 5);
        assertEquals(mid.fingerprint(), model.digest(), "mid-copy: the second piece only");
        assertEquals(mid, model.createRecoveryPoint(false).versions());
        for (long at : new long[] {0, 8 * MIB, 12 * MIB}) {
            model.copy(checkpoint, at, 4 * MIB);
        }
        assertEquals(source.fingerprint(), model.digest());
    }

    @Test
    void aCopyFromANewCheckpointStartsOver() throws IOException {
        long size = 8 * MIB;
        for (Fidelity fidelity : List.of(Fidelity.MODEL, Fidelity.FLOW)) {
            Replica replica = replica(fidelity, size);
            replica.copy(frozen(whole(size, 3)), 0, 4 * MIB);
            DiskView newer = frozen(whole(size, 6));
            replica.copy(newer, 4 * MIB, 4 * MIB);
            assertEquals(fidelity == Fidelity.MODEL ? versions(size, 4 * MIB, 4 * MIB, 6).fingerprint() : whole(size, 0).fingerprint(),
                    replica.digest(), fidelity + ": the older checkpoint's piece does not count");
            replica.copy(newer, 0, 4 * MIB);
            assertEquals(whole(size, 6).fingerprint(), replica.digest(), fidelity.toString());
        }
    }

    @Test
    void aBytesCopyWritesOnlyItsPiece() throws IOException {
        long size = 16 * MIB;
        Replica bytes = replica(Fidelity.BYTES, size);
        byte[] content = new byte[(int) size];
        Arrays.fill(content, (byte) 5);
        long n = 4 * MIB + 512; // more than one chunk, not a whole number of them
        bytes.copy(frozen(new ExtentMap(size), content), 0, n);
        assertArrayEquals(Arrays.copyOf(content, (int) n), bytes.disk.readData(0, (int) n));
        assertArrayEquals(new byte[4096], bytes.disk.readData(n, 4096), "nothing past the piece");
    }

    // ---- resync: the differing blocks ----

    @Test
    void modelResyncListsTheBlocksThatDifferAndTakesThemAsTheyArrive() throws IOException {
        long size = 1 * MIB;
        long block = 384 * KIB; // blocks at 0, 384 KiB and 768 KiB, the last 256 KiB long
        Replica.Model model = (Replica.Model) replica(Fidelity.MODEL, size);
        ExtentMap source = versions(size, 0, 384 * KIB, 2, 1000 * KIB, 4 * KIB, 7);
        DiskView checkpoint = frozen(source);
        List<long[]> blocks = model.differingBlocks(checkpoint, block);
        assertEquals(List.of("[0, 393216]", "[786432, 262144]"), asList(blocks), "a difference ending at a block's end stays in it");
        // the resync was cut short before any block arrived: the next compares afresh
        assertEquals(asList(blocks), asList(model.differingBlocks(checkpoint, block)));
        model.copyBlock(0, 384 * KIB);
        assertEquals(versions(size, 0, 384 * KIB, 2).fingerprint(), model.digest());
        model.copyBlock(768 * KIB, 256 * KIB);
        assertEquals(source.fingerprint(), model.digest());
    }

    @Test
    void bytesResyncComparesALastBlockShorterThanTheOthers() throws IOException {
        long size = 1 * MIB;
        Replica bytes = replica(Fidelity.BYTES, size);
        byte[] content = new byte[(int) size];
        content[(int) (900 * KIB)] = 1;
        assertEquals(List.of("[786432, 262144]"), asList(bytes.differingBlocks(frozen(new ExtentMap(size), content), 384 * KIB)));
    }

    @Test
    void allBlocksEndsWithWhatIsLeft() {
        assertEquals(List.of("[0, 393216]", "[393216, 393216]", "[786432, 262144]"), asList(Replica.allBlocks(MIB, 384 * KIB)));
    }

    /** A flow replica at {@code version} (a log brought it there). */
    private Replica.Flow flowAt(long size, long version) throws Exception {
        Replica.Flow flow = (Replica.Flow) replica(Fidelity.FLOW, size);
        flow.apply(log(1, true, Fidelity.FLOW, List.of(), version), new byte[0]);
        return flow;
    }

    private static long total(List<long[]> pieces) {
        return pieces.stream().mapToLong(p -> p[1]).sum();
    }

    @Test
    void flowResyncSendsTheBlocksTheWritesBetweenTouchedAndReachesTheCheckpointWithItsLastPiece() throws Exception {
        long size = 1 * MIB;
        long block = 64 * KIB; // 16 blocks
        Replica.Flow flow = flowAt(size, 3);
        // no workload: each of the 2 writes since version 3 touched one block
        List<long[]> pieces = flow.differingBlocks(frozen(whole(size, 5)), block);
        assertEquals(List.of("[0, 65536]", "[65536, 65536]"), asList(pieces));
        assertEquals(whole(size, 3).fingerprint(), flow.digest(), "nothing arrived yet");
        flow.copyBlock(0, 64 * KIB);
        assertEquals(whole(size, 3).fingerprint(), flow.digest(), "one piece of two arrived");
        flow.copyBlock(64 * KIB, 64 * KIB);
        assertEquals(whole(size, 5).fingerprint(), flow.digest());
    }

    @Test
    void flowResyncSendsAtMostTheWholeDisk() throws Exception {
        long size = 1 * MIB;
        Replica.Flow flow = flowAt(size, 1);
        assertEquals(size, total(flow.differingBlocks(frozen(whole(size, 1 + 16)), 64 * KIB)), "16 writes, 16 blocks");
        Replica.Flow more = flowAt(size, 1);
        assertEquals(size, total(more.differingBlocks(frozen(whole(size, 1 + 40)), 64 * KIB)), "more writes than blocks");
        Replica.Flow fewer = flowAt(size, 1);
        assertEquals(14 * 64 * KIB, total(fewer.differingBlocks(frozen(whole(size, 1 + 14)), 64 * KIB)));
    }

    @Test
    void flowSendsManyBlocksInAtMost256PiecesOfWholeBlocks() throws Exception {
        long size = 64 * MIB;
        long block = 4 * KIB; // 16,384 blocks
        Replica.Flow flow = flowAt(size, 1);
        List<long[]> pieces = flow.differingBlocks(frozen(whole(size, 1 + 10_000)), block);
        // 10,000 blocks in pieces of ceil(10,000 / 256) = 40 blocks: 250 pieces, all whole
        assertEquals(250, pieces.size());
        for (int i = 0; i < pieces.size(); i++) {
            assertEquals(i * 40 * block, pieces.get(i)[0]);
            assertEquals(40 * block, pieces.get(i)[1]);
        }
        Replica.Flow uneven = flowAt(size, 1);
        List<long[]> unevenPieces = uneven.differingBlocks(frozen(whole(size, 1 + 1_000)), block);
        // 1,000 blocks in pieces of 4: 250 pieces, the last whole too
        assertEquals(250, unevenPieces.size());
        Replica.Flow odd = flowAt(size, 1);
        List<long[]> oddPieces = odd.differingBlocks(frozen(whole(size, 1 + 1_001)), block);
        // 1,001 blocks in pieces of 4: 251 pieces, the last one block long
        assertEquals(251, oddPieces.size());
        assertEquals(List.of(1000 * block, block), List.of(oddPieces.get(250)[0], oddPieces.get(250)[1]));
        assertEquals(1001 * block, total(oddPieces));
    }

    @Test
    void flowResyncAfterAnInitialReplicationCutShortSendsWhatDidNotArriveAndWhatChangedSince() throws Exception {
        long size = 16 * MIB;
        Replica.Flow flow = (Replica.Flow) replica(Fidelity.FLOW, size);
        DiskView checkpoint = frozen(whole(size, 4));
        flow.copy(checkpoint, 0, 4 * MIB);
        flow.copy(checkpoint, 8 * MIB, 4 * MIB);
        // 8 MiB did not arrive (2,048 blocks of 4 KiB), and 3 writes since the copy's checkpoint
        List<long[]> pieces = flow.differingBlocks(frozen(whole(size, 7)), 4 * KIB);
        assertEquals((2048 + 3) * 4 * KIB, total(pieces));
        for (long[] p : pieces) {
            flow.copyBlock(p[0], p[1]);
        }
        assertEquals(whole(size, 7).fingerprint(), flow.digest());
    }

    @Test
    void flowResyncAfterACopyCutShortSendsAtMostTheWholeDisk() throws Exception {
        long size = 16 * MIB;
        Replica.Flow flow = (Replica.Flow) replica(Fidelity.FLOW, size);
        flow.copy(frozen(whole(size, 4)), 0, 4 * MIB);
        // 12 MiB missing and 3,000 writes since: more than the disk's 4,096 blocks
        assertEquals(size, total(flow.differingBlocks(frozen(whole(size, 3004)), 4 * KIB)));
    }

    @Test
    void aFlowPieceIsAtMostOneGibibyte() throws Exception {
        long gib = 1024 * MIB;
        long size = 512 * gib;
        Replica.Flow flow = flowAt(size, 1);
        // 400,000 blocks of 1 MiB: 256 pieces would be over 1.5 GiB each
        List<long[]> pieces = flow.differingBlocks(frozen(whole(size, 1 + 400_000)), MIB);
        assertEquals(391, pieces.size());
        assertTrue(pieces.stream().allMatch(p -> p[1] <= gib));
        assertEquals(400_000 * MIB, total(pieces));
    }

    @Test
    void aFlowFailoverLosesTheBlocksWrittenAfterItsPoint() throws Exception {
        VirtualDisk source = disk(Fidelity.FLOW, 1 * MIB);
        Replica flow = replica(Fidelity.FLOW, source);
        source.restore(0, new byte[512], 0, 512, whole(MIB, 8)); // the source at version 8
        assertEquals(3, flow.blocksChangedSince(source, whole(MIB, 5)));
        assertEquals(0, flow.blocksChangedSince(source, whole(MIB, 8)));
    }

    // ---- failover's check ----

    @Test
    void aRecoveryPointVerifiesOnlyAgainstTheContentOfItsCut() throws Exception {
        for (Fidelity fidelity : List.of(Fidelity.MODEL, Fidelity.FLOW)) {
            Replica replica = replica(fidelity, 1 * MIB);
            replica.apply(log(1, true, fidelity, fidelity == Fidelity.MODEL ? List.of(new LoggedWrite(0, (int) MIB, 4)) : List.of(), 4),
                    new byte[0]);
            Replica.Point point = replica.createRecoveryPoint(false);
            assertTrue(replica.verify(point, replica.disk, whole(MIB, 4), 1), fidelity.toString());
            assertFalse(replica.verify(point, replica.disk, whole(MIB, 5), 1), fidelity + ": a point behind its cut");
        }
    }

    @Test
    void aBytesFailoverCopyVerifiesByTheContentItsVersionsStandFor() throws IOException {
        long size = 1 * MIB;
        VirtualDisk source = disk(Fidelity.BYTES, size);
        Replica replica = replica(Fidelity.BYTES, source);
        long seed = 42;
        ExtentMap cut = versions(size, 0, 4 * KIB, 3); // block 0 written (version 3), the rest never
        byte[] block0 = new byte[BlockContent.BLOCK_SIZE];
        BlockContent.fill(seed, source.id(), 0, 3, block0, 0);
        ReplicaDisk failedOver = ReplicaDisk.create(storage, "replicas", "failed-over", source.id(), size, CLOCK.instant());
        failedOver.writeData(0, block0);
        assertTrue(replica.verify(null, failedOver, cut, seed));
        assertFalse(replica.verify(null, failedOver, versions(size, 0, 8 * KIB, 3), seed), "block 1 should hold version 3");
        assertFalse(replica.verify(null, failedOver, versions(size, 0, 4 * KIB, 2), seed), "block 0 holds another version");
    }

    @Test
    void aDeletedRecoveryPointLeavesTheBlob() throws IOException {
        Replica replica = replica(Fidelity.MODEL, 1 * MIB);
        Replica.Point first = replica.createRecoveryPoint(false);
        Replica.Point second = replica.createRecoveryPoint(true);
        replica.deleteRecoveryPoint(first);
        assertEquals(List.of(second.snapshot().snapshot()), replica.disk.recoveryPoints().stream().map(p -> p.snapshot()).toList());
    }

    // ---- failback ----

    @Test
    void modelFailbackComparesBlocksWithALastShorterOne() throws IOException {
        long size = 1 * MIB;
        VirtualDisk onPrem = disk(Fidelity.MODEL, size);
        Replica model = replica(Fidelity.MODEL, onPrem);
        ReplicaDisk copy = model.disk;
        // a copy that differs in 384 KiB..768 KiB exactly: that block only
        assertEquals(List.of("[393216, 393216]"),
                asList(model.blocksDifferingFrom(onPrem, copy, versions(size, 384 * KIB, 384 * KIB, 9), 384 * KIB)));
        // and in the last sector too: the last block, shorter than the others
        ExtentMap copyVersions = versions(size, 384 * KIB, 384 * KIB, 9, size - 512, 512, 9);
        assertEquals(List.of("[393216, 393216]", "[786432, 262144]"),
                asList(model.blocksDifferingFrom(onPrem, copy, copyVersions, 384 * KIB)));
        assertFalse(model.matchesCopy(onPrem, copy, copyVersions, 384 * KIB));
        model.restoreBlock(onPrem, copy, copyVersions, 384 * KIB, (int) (384 * KIB));
        model.restoreBlock(onPrem, copy, copyVersions, 768 * KIB, (int) (256 * KIB));
        assertTrue(model.matchesCopy(onPrem, copy, copyVersions, 384 * KIB));
    }

    @Test
    void bytesFailbackTellsADifferingDiskFromItsCopy() throws IOException {
        long size = 1 * MIB;
        VirtualDisk onPrem = disk(Fidelity.BYTES, size);
        Replica bytes = replica(Fidelity.BYTES, onPrem);
        byte[] data = new byte[4096];
        Arrays.fill(data, (byte) 3);
        bytes.disk.writeData(32 * KIB, data);
        assertFalse(bytes.matchesCopy(onPrem, bytes.disk, null, 16 * KIB));
        assertEquals(List.of("[32768, 16384]"), asList(bytes.blocksDifferingFrom(onPrem, bytes.disk, null, 16 * KIB)));
    }

    /** A flow replica at version 5 of {@code onPrem}, which was written up to version 8 before it failed over. */
    private Replica.Flow beforeFailback(VirtualDisk onPrem) throws Exception {
        Replica.Flow flow = (Replica.Flow) replica(Fidelity.FLOW, onPrem);
        flow.apply(log(1, true, Fidelity.FLOW, List.of(), 5), new byte[0]);
        onPrem.restore(0, new byte[512], 0, 512, whole(onPrem.sizeBytes(), 8));
        return flow;
    }

    @Test
    void flowFailbackSendsWhatTheDiskAndTheCopyDifferByThenReprotectSendsWhatChangedOnBothSides() throws Exception {
        long size = 1 * MIB;
        long block = 64 * KIB;
        VirtualDisk onPrem = disk(Fidelity.FLOW, size);
        Replica.Flow flow = beforeFailback(onPrem);
        ExtentMap copy = whole(size, 6); // the failover copy: failed over at 5, one write in Azure
        List<long[]> pieces = flow.blocksDifferingFrom(onPrem, flow.disk, copy, block);
        assertEquals(2 * block, total(pieces), "versions 8 and 6 differ by 2 writes");
        assertFalse(flow.matchesCopy(onPrem, flow.disk, copy, block));
        for (long[] p : pieces) {
            flow.restoreBlock(onPrem, flow.disk, copy, p[0], (int) p[1]);
        }
        assertEquals(copy, onPrem.contentVersions(), "the disk takes the copy's version");
        assertTrue(flow.matchesCopy(onPrem, flow.disk, copy, block));
        // reprotect: the replica (5) and the disk differ by the copy's write (6 - 5) and the 3 writes made on-premises since
        List<long[]> resync = flow.differingBlocks(frozen(whole(size, 8 + 3)), block);
        assertEquals((1 + 3) * block, total(resync));
    }

    @Test
    void flowReprotectAfterAFailbackToAnEmptyCopy() throws Exception {
        long size = 1 * MIB;
        long block = 64 * KIB;
        VirtualDisk onPrem = disk(Fidelity.FLOW, size);
        Replica.Flow flow = beforeFailback(onPrem);
        ExtentMap empty = whole(size, 0); // failed over to a point before any write
        flow.blocksDifferingFrom(onPrem, flow.disk, empty, block);
        flow.matchesCopy(onPrem, flow.disk, empty, block);
        // the replica's 5 writes the copy lacks, and the 2 made on-premises since the failback (10 - 8)
        assertEquals((5 + 2) * block, total(flow.differingBlocks(frozen(whole(size, 10)), block)));
    }
}
