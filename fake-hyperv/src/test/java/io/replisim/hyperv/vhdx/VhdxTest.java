package io.replisim.hyperv.vhdx;

import static io.replisim.hyperv.vhdx.DiskContent.MIB;
import static io.replisim.hyperv.vhdx.DiskContent.assertContent;
import static io.replisim.hyperv.vhdx.DiskContent.bytes;
import static io.replisim.hyperv.vhdx.DiskContent.readAll;
import static io.replisim.hyperv.vhdx.DiskContent.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VhdxTest {

    private static final long SIZE = 8L * MIB;
    private static final UUID BASE_ID = UUID.fromString("11111111-2222-3333-4444-555555555555");
    private static final UUID CHILD_ID = UUID.fromString("66666666-7777-8888-9999-aaaaaaaaaaaa");
    private static final UUID GRANDCHILD_ID = UUID.fromString("bbbbbbbb-cccc-dddd-eeee-ffffffffffff");

    private FileSystem fs;
    private Path dir;

    @BeforeEach
    void jimfs() throws IOException {
        fs = Jimfs.newFileSystem(Configuration.unix());
        dir = Files.createDirectories(fs.getPath("/vol/hv01/sql01"));
    }

    @AfterEach
    void closeJimfs() throws IOException {
        fs.close();
    }

    private VirtualHardDisk dynamic(String name) throws IOException {
        return Vhdx.createDynamic(dir.resolve(name), SIZE, MIB, BASE_ID);
    }

    @Test
    void aDynamicDiskReadsBackWhatWasWrittenAfterReopen() throws IOException {
        byte[] model = new byte[(int) SIZE];
        Path path = dir.resolve("disk.vhdx");
        try (VirtualHardDisk disk = Vhdx.createDynamic(path, SIZE, MIB, BASE_ID)) {
            write(disk, model, 0, 512, 1);
            write(disk, model, MIB - 1024, 4096, 2); // spans blocks 0 and 1
            write(disk, model, 5L * MIB + 512, 3 * MIB / 2, 3);
            assertContent(model, disk);
        }
        try (VirtualHardDisk disk = Vhdx.open(path)) {
            assertEquals(BASE_ID, disk.diskId());
            assertEquals(SIZE, disk.virtualSize());
            assertEquals(Optional.empty(), disk.parentPath());
            assertContent(model, disk);
            write(disk, model, 512, 1024, 4);
        }
        try (VirtualHardDisk disk = Vhdx.openReadOnly(path)) {
            assertContent(model, disk);
        }
    }

    @Test
    void aFixedDiskIsPreallocatedAndReadsBackWhatWasWrittenAfterReopen() throws IOException {
        byte[] model = new byte[(int) SIZE];
        Path path = dir.resolve("fixed.vhdx");
        try (VirtualHardDisk disk = Vhdx.createFixed(path, SIZE, BASE_ID)) {
            assertTrue(((VhdxFile) disk).metadata().leaveBlockAllocated());
            // 1 MiB header section + 1 MiB log + 1 MiB metadata + 1 MiB BAT, then all blocks.
            assertEquals(4L * MIB + SIZE, Files.size(path));
            assertContent(model, disk);
            write(disk, model, 3 * MIB + 512, 2 * MIB, 5);
        }
        try (VirtualHardDisk disk = Vhdx.open(path)) {
            assertContent(model, disk);
            write(disk, model, 0, MIB, 6);
            assertContent(model, disk);
        }
        assertEquals(4L * MIB + SIZE, Files.size(path), "a fixed disk never grows");
    }

    @Test
    void unwrittenRangesReadAsZeros() throws IOException {
        // Jimfs reuses the memory of deleted files: new blocks must still read zero.
        Path garbage = dir.resolve("garbage");
        Files.write(garbage, bytes(99, 12 * MIB));
        Files.delete(garbage);
        try (VirtualHardDisk disk = dynamic("disk.vhdx")) {
            byte[] zeros = new byte[(int) SIZE];
            assertArrayEquals(zeros, readAll(disk));
            disk.write(MIB + 4096, bytes(7, 512), 0, 512);
            byte[] block = new byte[MIB];
            disk.read(MIB, block, 0, MIB);
            byte[] expected = new byte[MIB];
            System.arraycopy(bytes(7, 512), 0, expected, 4096, 512);
            assertArrayEquals(expected, block, "the rest of a newly allocated block is zero");
            byte[] tail = new byte[3 * MIB];
            disk.read(5L * MIB, tail, 0, tail.length);
            assertArrayEquals(new byte[3 * MIB], tail);
        }
    }

    @Test
    void aDynamicDiskFileGrowsOnlyByTheBlocksWritten() throws IOException {
        Path path = dir.resolve("disk.vhdx");
        try (VirtualHardDisk disk = Vhdx.createDynamic(path, SIZE, MIB, BASE_ID)) {
            long empty = Files.size(path);
            assertEquals(4L * MIB, empty, "header section, log, metadata and BAT only");
            disk.write(0, bytes(1, 512), 0, 512);
            assertEquals(empty + MIB, Files.size(path));
            disk.write(MIB - 512, bytes(2, 512), 0, 512);
            assertEquals(empty + MIB, Files.size(path), "same block: no growth");
            disk.write(6L * MIB, bytes(3, 4096), 0, 4096);
            assertEquals(empty + 2L * MIB, Files.size(path));
            disk.write(2L * MIB - 512, bytes(4, 1024), 0, 1024); // blocks 1 and 2
            assertEquals(empty + 4L * MIB, Files.size(path));
        }
    }

    @Test
    void aDifferencingDiskReadsItsOwnWritesOverItsParentsDataAfterReopen() throws IOException {
        byte[] model = new byte[(int) SIZE];
        Path base = dir.resolve("disk.vhdx");
        Path child = dir.resolve("disk_1.avhdx");
        try (VirtualHardDisk disk = Vhdx.createDynamic(base, SIZE, MIB, BASE_ID)) {
            write(disk, model, 0, 2 * MIB, 1);
        }
        byte[] baseModel = model.clone();
        try (VirtualHardDisk diff = Vhdx.createDifferencing(child, base, CHILD_ID)) {
            assertEquals(Optional.of(base), diff.parentPath());
            assertEquals(SIZE, diff.virtualSize());
            assertEquals(CHILD_ID, diff.diskId());
            assertContent(model, diff);
            write(diff, model, 1024, 1536, 2); // partial block over parent data
            write(diff, model, 3L * MIB + 512, 512, 3); // partial block over unwritten parent
            write(diff, model, 4L * MIB, MIB, 4); // a whole block
            assertContent(model, diff);
        }
        try (VirtualHardDisk diff = Vhdx.open(child)) {
            assertContent(model, diff);
            write(diff, model, 1536, 512, 5); // into a partially present block
            assertContent(model, diff);
        }
        try (VirtualHardDisk parent = Vhdx.openReadOnly(base)) {
            assertContent(baseModel, parent);
        }
    }

    @Test
    void aPartiallyPresentBlockBecomesFullyPresentOnceEverySectorIsWritten() throws IOException {
        Path base = dir.resolve("disk.vhdx");
        dynamic("disk.vhdx").close();
        try (VhdxFile diff = (VhdxFile) Vhdx.createDifferencing(dir.resolve("c.avhdx"), base, CHILD_ID)) {
            assertEquals(VhdxFormat.PAYLOAD_BLOCK_NOT_PRESENT, diff.payloadState(1));
            diff.write(MIB, bytes(1, MIB / 2), 0, MIB / 2);
            assertEquals(VhdxFormat.PAYLOAD_BLOCK_PARTIALLY_PRESENT, diff.payloadState(1));
            diff.write(MIB + MIB / 2, bytes(2, MIB / 2), 0, MIB / 2);
            assertEquals(VhdxFormat.PAYLOAD_BLOCK_FULLY_PRESENT, diff.payloadState(1));
            diff.write(2L * MIB, bytes(3, MIB), 0, MIB);
            assertEquals(VhdxFormat.PAYLOAD_BLOCK_FULLY_PRESENT, diff.payloadState(2),
                    "a whole-block write needs no sector bitmap");
        }
    }

    @Test
    void aLargePartialWriteToABigBlockKeepsTheParentsOtherSectors() throws IOException {
        byte[] model = new byte[(int) SIZE];
        Path base = dir.resolve("disk.vhdx");
        try (VirtualHardDisk disk = Vhdx.createDynamic(base, SIZE, 4 * MIB, BASE_ID)) {
            write(disk, model, 0, (int) SIZE, 1);
        }
        try (VhdxFile diff = (VhdxFile) Vhdx.createDifferencing(dir.resolve("c.avhdx"), base, CHILD_ID)) {
            write(diff, model, 0, MIB, 2); // a whole MiB, but only a quarter of the block
            write(diff, model, 5L * MIB, 2 * MIB, 3);
            assertEquals(VhdxFormat.PAYLOAD_BLOCK_PARTIALLY_PRESENT, diff.payloadState(0));
            assertEquals(VhdxFormat.PAYLOAD_BLOCK_PARTIALLY_PRESENT, diff.payloadState(1));
            assertContent(model, diff);
        }
    }

    @Test
    void readsResolveSectorBySectorThroughATwoLevelChain() throws IOException {
        byte[] model = new byte[(int) SIZE];
        Path base = dir.resolve("disk.vhdx");
        Path mid = dir.resolve("disk_1.avhdx");
        Path top = dir.resolve("disk_2.avhdx");
        try (VirtualHardDisk disk = Vhdx.createDynamic(base, SIZE, MIB, BASE_ID)) {
            write(disk, model, 0, 3 * MIB, 1);
        }
        try (VirtualHardDisk disk = Vhdx.createDifferencing(mid, base, CHILD_ID)) {
            for (int sector = 0; sector < 6000; sector += 3) { // every third sector
                write(disk, model, sector * 512L, 512, 100 + sector);
            }
        }
        try (VirtualHardDisk disk = Vhdx.createDifferencing(top, mid, GRANDCHILD_ID)) {
            for (int sector = 1; sector < 6000; sector += 5) {
                write(disk, model, sector * 512L, 1024, 20000 + sector);
            }
            assertEquals(Optional.of(mid), disk.parentPath());
            assertContent(model, disk);
        }
        try (VirtualHardDisk disk = Vhdx.open(top)) {
            assertContent(model, disk);
            byte[] one = new byte[512];
            for (int sector = 2990; sector < 3010; sector++) {
                disk.read(sector * 512L, one, 0, 512);
                assertArrayEquals(Arrays.copyOfRange(model, sector * 512, sector * 512 + 512),
                        one, "sector " + sector);
            }
        }
    }

    @Test
    void mergeMakesTheParentHoldTheChildsDataAndRemovesTheChild() throws IOException {
        byte[] model = new byte[(int) SIZE];
        Path base = dir.resolve("disk.vhdx");
        Path mid = dir.resolve("disk_1.avhdx");
        Path top = dir.resolve("disk_2.avhdx");
        try (VirtualHardDisk disk = Vhdx.createDynamic(base, SIZE, MIB, BASE_ID)) {
            write(disk, model, MIB, 2 * MIB, 1);
        }
        try (VirtualHardDisk disk = Vhdx.createDifferencing(mid, base, CHILD_ID)) {
            write(disk, model, 0, 4096, 2);
            write(disk, model, 2L * MIB - 512, 2048, 3);
        }
        try (VirtualHardDisk disk = Vhdx.createDifferencing(top, mid, GRANDCHILD_ID)) {
            write(disk, model, 1024, 512, 4);
            write(disk, model, 6L * MIB, MIB, 5);
        }

        Vhdx.merge(top);
        assertFalse(Files.exists(top));
        try (VirtualHardDisk disk = Vhdx.open(mid)) {
            assertContent(model, disk);
        }
        Vhdx.merge(mid);
        assertFalse(Files.exists(mid));
        try (VirtualHardDisk disk = Vhdx.open(base)) {
            assertEquals(Optional.empty(), disk.parentPath());
            assertContent(model, disk);
        }
    }

    @Test
    void mergingADiskWithoutAParentIsRefused() throws IOException {
        dynamic("disk.vhdx").close();
        IOException e = assertThrows(IOException.class, () -> Vhdx.merge(dir.resolve("disk.vhdx")));
        assertTrue(e.getMessage().contains("not a differencing disk"), e.getMessage());
        assertTrue(Files.exists(dir.resolve("disk.vhdx")));
    }

    @Test
    void aParentWrittenAfterTheChildWasCreatedBreaksTheChain() throws IOException {
        Path base = dir.resolve("disk.vhdx");
        Path child = dir.resolve("disk_1.avhdx");
        dynamic("disk.vhdx").close();
        Vhdx.createDifferencing(child, base, CHILD_ID).close();
        try (VirtualHardDisk parent = Vhdx.open(base)) {
            parent.write(0, bytes(1, 512), 0, 512);
        }
        BrokenChainException e = assertThrows(BrokenChainException.class, () -> Vhdx.open(child));
        assertTrue(e.getMessage().contains("was modified after this disk was created"), e.getMessage());
        assertTrue(e.getMessage().contains(base.toString()), e.getMessage());
    }

    @Test
    void openingAParentWithoutWritingKeepsTheChainIntact() throws IOException {
        Path base = dir.resolve("disk.vhdx");
        Path child = dir.resolve("disk_1.avhdx");
        dynamic("disk.vhdx").close();
        Vhdx.createDifferencing(child, base, CHILD_ID).close();
        byte[] before = Files.readAllBytes(base);
        try (VirtualHardDisk parent = Vhdx.open(base)) {
            readAll(parent);
        }
        assertArrayEquals(before, Files.readAllBytes(base), "open and read must not touch the file");
        Vhdx.open(child).close();
    }

    @Test
    void aVanishedParentBreaksTheChain() throws IOException {
        Path base = dir.resolve("disk.vhdx");
        Path child = dir.resolve("disk_1.avhdx");
        dynamic("disk.vhdx").close();
        Vhdx.createDifferencing(child, base, CHILD_ID).close();
        Files.delete(base);
        BrokenChainException e = assertThrows(BrokenChainException.class, () -> Vhdx.open(child));
        assertTrue(e.getMessage().contains("vanished"), e.getMessage());
        assertTrue(e.getMessage().contains("/vol/hv01/sql01/disk.vhdx"), e.getMessage());
    }

    @Test
    void aBrokenLinkDeeperInTheChainBreaksTheWholeChain() throws IOException {
        Path base = dir.resolve("disk.vhdx");
        Path mid = dir.resolve("disk_1.avhdx");
        Path top = dir.resolve("disk_2.avhdx");
        dynamic("disk.vhdx").close();
        Vhdx.createDifferencing(mid, base, CHILD_ID).close();
        Vhdx.createDifferencing(top, mid, GRANDCHILD_ID).close();
        try (VirtualHardDisk parent = Vhdx.open(base)) {
            parent.write(0, bytes(1, 512), 0, 512);
        }
        assertThrows(BrokenChainException.class, () -> Vhdx.open(top));
    }

    @Test
    void aChainMovedTogetherStillOpensThroughItsRelativePath() throws IOException {
        byte[] model = new byte[(int) SIZE];
        Path base = dir.resolve("disk.vhdx");
        Path child = dir.resolve("snapshots/disk_1.avhdx");
        Files.createDirectories(child.getParent());
        try (VirtualHardDisk disk = Vhdx.createDynamic(base, SIZE, MIB, BASE_ID)) {
            write(disk, model, 0, 4096, 1);
        }
        try (VirtualHardDisk disk = Vhdx.createDifferencing(child, base, CHILD_ID)) {
            write(disk, model, 512, 512, 2);
        }
        ParentLocator locator;
        try (VhdxFile disk = (VhdxFile) Vhdx.openReadOnly(child)) {
            locator = disk.metadata().parentLocator();
        }
        assertEquals(Optional.of("..\\disk.vhdx"), locator.get(ParentLocator.RELATIVE_PATH));
        assertEquals(Optional.of("\\vol\\hv01\\sql01\\disk.vhdx"),
                locator.get(ParentLocator.ABSOLUTE_WIN32_PATH));
        assertTrue(locator.get(ParentLocator.PARENT_LINKAGE).orElseThrow().matches("\\{[0-9A-F-]{36}}"));

        Path moved = fs.getPath("/vol/moved");
        Files.move(dir, moved);
        try (VirtualHardDisk disk = Vhdx.open(moved.resolve("snapshots/disk_1.avhdx"))) {
            assertEquals(Optional.of(moved.resolve("disk.vhdx")), disk.parentPath());
            assertContent(model, disk);
        }
    }

    @Test
    void theFirstWriteAfterOpenChangesTheWriteGuidsInBothHeaders() throws IOException {
        Path path = dir.resolve("disk.vhdx");
        dynamic("disk.vhdx").close();
        VhdxHeader created;
        try (VhdxFile disk = (VhdxFile) Vhdx.open(path)) {
            created = disk.header();
            assertEquals(1, created.sequenceNumber());
            disk.write(0, bytes(1, 512), 0, 512);
            VhdxHeader first = disk.header();
            assertNotEquals(created.dataWriteGuid(), first.dataWriteGuid());
            assertNotEquals(created.fileWriteGuid(), first.fileWriteGuid());
            assertEquals(VhdxFormat.ZERO_GUID, first.logGuid());
            assertEquals(3, first.sequenceNumber(), "both copies rewritten");
            disk.write(512, bytes(2, 512), 0, 512);
            assertEquals(first, disk.header(), "only the first write after open changes the header");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            VhdxHeader h1 = readHeader(ch, 0);
            VhdxHeader h2 = readHeader(ch, 1);
            assertEquals(2, h1.sequenceNumber());
            assertEquals(3, h2.sequenceNumber());
            assertEquals(h1.dataWriteGuid(), h2.dataWriteGuid());
        }
        try (VhdxFile disk = (VhdxFile) Vhdx.open(path)) {
            disk.write(0, bytes(3, 512), 0, 512);
            assertEquals(5, disk.header().sequenceNumber());
        }
    }

    private static VhdxHeader readHeader(FileChannel ch, int slot) throws IOException {
        byte[] raw = new byte[VhdxFormat.HEADER_SIZE];
        VhdxFormat.readFully(ch, ByteBuffer.wrap(raw), VhdxFormat.headerOffset(slot), "header");
        return VhdxHeader.decode(raw);
    }

    @Test
    void theSameOperationsGiveByteIdenticalFiles() throws IOException {
        byte[][] files = new byte[2][];
        for (int i = 0; i < 2; i++) {
            try (FileSystem other = Jimfs.newFileSystem(Configuration.unix())) {
                Path d = Files.createDirectories(other.getPath("/v"));
                byte[] model = new byte[(int) SIZE];
                try (VirtualHardDisk disk = Vhdx.createDynamic(d.resolve("a.vhdx"), SIZE, MIB, BASE_ID)) {
                    write(disk, model, MIB, 4096, 1);
                }
                try (VirtualHardDisk disk = Vhdx.createDifferencing(d.resolve("a_1.avhdx"), d.resolve("a.vhdx"), CHILD_ID)) {
                    write(disk, model, 0, 512, 2);
                }
                Vhdx.merge(d.resolve("a_1.avhdx"));
                files[i] = Files.readAllBytes(d.resolve("a.vhdx"));
            }
        }
        assertArrayEquals(files[0], files[1]);
    }

    @Test
    void aCorruptedHeaderChecksumIsDetected() throws IOException {
        Path path = dir.resolve("disk.vhdx");
        dynamic("disk.vhdx").close();
        flipByte(path, VhdxFormat.HEADER2_OFFSET + 200); // the current header (sequence 1)
        try (VhdxFile disk = (VhdxFile) Vhdx.openReadOnly(path)) {
            assertEquals(0, disk.header().sequenceNumber(), "falls back to the other valid header");
        }
        flipByte(path, VhdxFormat.HEADER1_OFFSET + 8);
        IOException e = assertThrows(IOException.class, () -> Vhdx.open(path));
        assertTrue(e.getMessage().contains("no valid VHDX header"), e.getMessage());
        assertTrue(e.getMessage().contains("CRC-32C mismatch"), e.getMessage());
    }

    @Test
    void corruptedRegionTablesAreDetected() throws IOException {
        Path path = dir.resolve("disk.vhdx");
        dynamic("disk.vhdx").close();
        flipByte(path, VhdxFormat.REGION_TABLE1_OFFSET + 20);
        Vhdx.openReadOnly(path).close(); // the second copy still serves
        flipByte(path, VhdxFormat.REGION_TABLE2_OFFSET + 1000);
        IOException e = assertThrows(IOException.class, () -> Vhdx.open(path));
        assertTrue(e.getMessage().contains("no valid region table"), e.getMessage());
    }

    @Test
    void aFileThatIsNotAVhdxIsRefused() throws IOException {
        Path path = dir.resolve("junk.vhdx");
        Files.write(path, new byte[2 * MIB]);
        IOException e = assertThrows(IOException.class, () -> Vhdx.open(path));
        assertTrue(e.getMessage().contains("'vhdxfile'"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsDetected() throws IOException {
        Path path = dir.resolve("disk.vhdx");
        try (VirtualHardDisk disk = dynamic("disk.vhdx")) {
            disk.write(0, bytes(1, 512), 0, 512);
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.truncate(4L * MIB + 4096);
        }
        IOException e = assertThrows(IOException.class, () -> Vhdx.open(path));
        assertTrue(e.getMessage().contains("points past the end of the file"), e.getMessage());
    }

    private static void flipByte(Path path, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x40)).rewind();
            ch.write(one, offset);
        }
    }

    @Test
    void aVirtualSizeThatEndsInsideABlockWorks() throws IOException {
        long size = 5L * MIB + 3 * 512;
        byte[] model = new byte[(int) size];
        Path path = dir.resolve("odd.vhdx");
        try (VirtualHardDisk disk = Vhdx.createDynamic(path, size, MIB, BASE_ID)) {
            write(disk, model, size - 2048, 2048, 1);
        }
        try (VirtualHardDisk diff = Vhdx.createDifferencing(dir.resolve("odd_1.avhdx"), path, CHILD_ID)) {
            write(diff, model, 5L * MIB, 3 * 512, 2); // every sector of the last block
            assertEquals(VhdxFormat.PAYLOAD_BLOCK_FULLY_PRESENT, ((VhdxFile) diff).payloadState(5));
            assertContent(model, diff);
        }
    }

    @Test
    void badArgumentsAreRefusedWithClearErrors() throws IOException {
        assertThrows(IllegalArgumentException.class,
                () -> Vhdx.createDynamic(dir.resolve("a.vhdx"), SIZE, 3 * MIB, BASE_ID));
        assertThrows(IllegalArgumentException.class,
                () -> Vhdx.createDynamic(dir.resolve("a.vhdx"), SIZE, 512 * MIB, BASE_ID));
        assertThrows(IllegalArgumentException.class,
                () -> Vhdx.createDynamic(dir.resolve("a.vhdx"), SIZE + 1, MIB, BASE_ID));
        try (VirtualHardDisk disk = dynamic("disk.vhdx")) {
            byte[] b = new byte[1024];
            assertThrows(IllegalArgumentException.class, () -> disk.write(100, b, 0, 512));
            assertThrows(IllegalArgumentException.class, () -> disk.write(0, b, 0, 100));
            assertThrows(IllegalArgumentException.class, () -> disk.read(SIZE - 512, b, 0, 1024));
            assertThrows(IndexOutOfBoundsException.class, () -> disk.read(0, b, 600, 512));
        }
        assertThrows(FileAlreadyExistsException.class, () -> dynamic("disk.vhdx"));
        try (VirtualHardDisk disk = Vhdx.openReadOnly(dir.resolve("disk.vhdx"))) {
            IOException e = assertThrows(IOException.class, () -> disk.write(0, new byte[512], 0, 512));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        }
    }
}
