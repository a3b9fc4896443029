package io.replisim.hyperv.vhdx;

import static io.replisim.hyperv.vhdx.VhdxFormat.BAT_OFFSET;
import static io.replisim.hyperv.vhdx.VhdxFormat.BAT_OFFSET_MASK;
import static io.replisim.hyperv.vhdx.VhdxFormat.BAT_STATE_MASK;
import static io.replisim.hyperv.vhdx.VhdxFormat.HEADER_SECTION_SIZE;
import static io.replisim.hyperv.vhdx.VhdxFormat.HEADER_SIZE;
import static io.replisim.hyperv.vhdx.VhdxFormat.LOGICAL_SECTOR;
import static io.replisim.hyperv.vhdx.VhdxFormat.MIB;
import static io.replisim.hyperv.vhdx.VhdxFormat.PAYLOAD_BLOCK_FULLY_PRESENT;
import static io.replisim.hyperv.vhdx.VhdxFormat.PAYLOAD_BLOCK_NOT_PRESENT;
import static io.replisim.hyperv.vhdx.VhdxFormat.PAYLOAD_BLOCK_PARTIALLY_PRESENT;
import static io.replisim.hyperv.vhdx.VhdxFormat.PAYLOAD_BLOCK_UNDEFINED;
import static io.replisim.hyperv.vhdx.VhdxFormat.PAYLOAD_BLOCK_UNMAPPED;
import static io.replisim.hyperv.vhdx.VhdxFormat.PAYLOAD_BLOCK_ZERO;
import static io.replisim.hyperv.vhdx.VhdxFormat.REGION_TABLE_SIZE;
import static io.replisim.hyperv.vhdx.VhdxFormat.SB_BLOCK_NOT_PRESENT;
import static io.replisim.hyperv.vhdx.VhdxFormat.SB_BLOCK_PRESENT;
import static io.replisim.hyperv.vhdx.VhdxFormat.SECTOR_BITMAP_BLOCK_SIZE;
import static io.replisim.hyperv.vhdx.VhdxFormat.ZERO_GUID;
import static io.replisim.hyperv.vhdx.VhdxFormat.readFully;
import static io.replisim.hyperv.vhdx.VhdxFormat.writeFully;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * An open VHDX file. The BAT lives in memory and every changed entry is written through at
 * once; payload data, then sector bitmap, then BAT entry are written in that order so an
 * interrupted write never exposes unwritten data. No log is used (LogGuid stays zero).
 */
final class VhdxFile implements VirtualHardDisk {

    static final int MAX_CHAIN_DEPTH = 64;

    private final Path path;
    private final FileChannel channel;
    private final boolean writable;
    private final VhdxMetadata metadata;
    private final long batOffset;
    private final long[] bat;
    private final int blockSize;
    private final int chunkRatio;
    private final int sectorsPerBlock;
    private final int dataBlocks;
    private final VhdxFile parent;
    private final Path parentPath;
    private VhdxHeader header;
    private int headerSlot;
    private long nextFree;
    private boolean headersRefreshed;
    private boolean closed;

    private VhdxFile(Path path, FileChannel channel, boolean writable, VhdxHeader header,
            int headerSlot, VhdxMetadata metadata, long batOffset, long[] bat, long nextFree,
            VhdxFile parent, Path parentPath) {
        this.path = path;
        this.channel = channel;
        this.writable = writable;
        this.header = header;
        this.headerSlot = headerSlot;
        this.metadata = metadata;
        this.batOffset = batOffset;
        this.bat = bat;
        this.nextFree = nextFree;
        this.parent = parent;
        this.parentPath = parentPath;
        this.blockSize = metadata.blockSize();
        this.chunkRatio = chunkRatio(metadata.blockSize());
        this.sectorsPerBlock = metadata.blockSize() / LOGICAL_SECTOR;
        this.dataBlocks = (int) dataBlocks(metadata);
    }

    // ---- geometry ([MS-VHDX] 2.5) ----

    /** Payload blocks covered by one sector bitmap block: 2^23 sectors per chunk. */
    static int chunkRatio(int blockSize) {
        return (int) ((1L << 23) * LOGICAL_SECTOR / blockSize);
    }

    static long dataBlocks(VhdxMetadata md) {
        return (md.virtualSize() + md.blockSize() - 1) / md.blockSize();
    }

    static long batEntries(VhdxMetadata md) {
        return batEntries(md.virtualSize(), md.blockSize(), md.hasParent());
    }

    static long batEntries(long virtualSize, int blockSize, boolean hasParent) {
        long blocks = (virtualSize + blockSize - 1) / blockSize;
        long ratio = chunkRatio(blockSize);
        if (hasParent) {
            long bitmapBlocks = (blocks + ratio - 1) / ratio;
            return bitmapBlocks * (ratio + 1);
        }
        return blocks + (blocks - 1) / ratio;
    }

    private static int payloadIndex(int block, int chunkRatio) {
        return block + block / chunkRatio;
    }

    private int payloadIndex(int block) {
        return payloadIndex(block, chunkRatio);
    }

    private int bitmapIndex(int chunk) {
        return chunk * (chunkRatio + 1) + chunkRatio;
    }

    /** Sectors of a block inside the virtual disk (the last block may stick out). */
    private int validSectors(int block) {
        long remaining = metadata.virtualSize() - (long) block * blockSize;
        return (int) Math.min(sectorsPerBlock, remaining / LOGICAL_SECTOR);
    }

    // ---- creation ----

    /** Writes a new, empty VHDX file; fails if the path exists. */
    static void create(Path path, VhdxMetadata md) throws IOException {
        long entries = batEntries(md);
        long batLength = VhdxFormat.roundUp(entries * 8, MIB);
        long dataStart = BAT_OFFSET + batLength;
        int blocks = (int) dataBlocks(md);
        int ratio = chunkRatio(md.blockSize());
        long end = dataStart;
        byte[] batBytes = null;
        if (md.leaveBlockAllocated()) {
            // Fixed disk: every payload block allocated up front, contiguous, in block order.
            batBytes = new byte[(int) (entries * 8)];
            ByteBuffer b = VhdxFormat.le(batBytes);
            for (int block = 0; block < blocks; block++) {
                long offset = dataStart + (long) block * md.blockSize();
                b.putLong(8 * payloadIndex(block, ratio), offset | PAYLOAD_BLOCK_FULLY_PRESENT);
            }
            end = dataStart + (long) blocks * md.blockSize();
        }

        UUID id = md.diskId();
        VhdxHeader first = new VhdxHeader(0,
                VhdxFormat.derive(id, "FileWriteGuid", ZERO_GUID, 0),
                VhdxFormat.derive(id, "DataWriteGuid", ZERO_GUID, 0),
                ZERO_GUID, 0, 1, VhdxFormat.LOG_LENGTH, VhdxFormat.LOG_OFFSET);
        VhdxHeader second = first.next(first.fileWriteGuid(), first.dataWriteGuid());
        byte[] regionTable = VhdxRegion.encodeTable(List.of(
                new VhdxRegion(VhdxFormat.BAT_REGION, BAT_OFFSET, batLength, true),
                new VhdxRegion(VhdxFormat.METADATA_REGION, VhdxFormat.METADATA_OFFSET,
                        VhdxFormat.METADATA_LENGTH, true)));

        byte[] identifier = new byte[VhdxFormat.FILE_SIGNATURE.length + VhdxFormat.CREATOR_SIZE];
        System.arraycopy(VhdxFormat.FILE_SIGNATURE, 0, identifier, 0, 8);
        byte[] creator = VhdxFormat.CREATOR.getBytes(StandardCharsets.UTF_16LE);
        System.arraycopy(creator, 0, identifier, 8, creator.length);

        // Opened before the try: a path that already exists must not be deleted below.
        FileChannel created = FileChannel.open(path, CREATE_NEW, READ, WRITE);
        boolean done = false;
        try (FileChannel ch = created) {
            writeFully(ch, ByteBuffer.wrap(identifier), 0);
            writeFully(ch, ByteBuffer.wrap(first.encode()), VhdxFormat.headerOffset(0));
            writeFully(ch, ByteBuffer.wrap(second.encode()), VhdxFormat.headerOffset(1));
            writeFully(ch, ByteBuffer.wrap(regionTable), VhdxFormat.regionTableOffset(0));
            writeFully(ch, ByteBuffer.wrap(regionTable), VhdxFormat.regionTableOffset(1));
            writeFully(ch, ByteBuffer.wrap(md.encode()), VhdxFormat.METADATA_OFFSET);
            if (batBytes != null) {
                writeFully(ch, ByteBuffer.wrap(batBytes), BAT_OFFSET);
            }
            // Extending by one byte leaves the log, BAT and blocks zero (sparse on real disks).
            writeFully(ch, ByteBuffer.wrap(new byte[1]), end - 1);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(path);
            }
        }
    }

    // ---- opening ----

    static VhdxFile open(Path path, boolean writable, boolean parentWritable, int depth)
            throws IOException {
        if (depth > MAX_CHAIN_DEPTH) {
            throw new BrokenChainException(path + ": differencing chain deeper than "
                    + MAX_CHAIN_DEPTH + " disks (a parent loop?)");
        }
        FileChannel ch = writable ? FileChannel.open(path, READ, WRITE) : FileChannel.open(path, READ);
        VhdxFile parent = null;
        try {
            long fileSize = ch.size();
            byte[] signature = new byte[8];
            if (fileSize < HEADER_SECTION_SIZE) {
                throw new IOException(path + ": not a VHDX file (smaller than the 1 MiB header section)");
            }
            readFully(ch, ByteBuffer.wrap(signature), 0, "file type identifier");
            if (!VhdxFormat.startsWith(signature, 0, VhdxFormat.FILE_SIGNATURE)) {
                throw new IOException(path + ": not a VHDX file (no 'vhdxfile' signature)");
            }

            VhdxHeader[] headers = new VhdxHeader[2];
            String[] why = new String[2];
            for (int i = 0; i < 2; i++) {
                byte[] raw = new byte[HEADER_SIZE];
                readFully(ch, ByteBuffer.wrap(raw), VhdxFormat.headerOffset(i), "header " + (i + 1));
                try {
                    headers[i] = VhdxHeader.decode(raw);
                } catch (IOException e) {
                    why[i] = e.getMessage();
                }
            }
            int slot = currentHeader(path, headers, why);
            VhdxHeader header = headers[slot];
            if (!header.logGuid().equals(ZERO_GUID)) {
                throw new IOException(path + ": the header has LogGuid " + header.logGuid()
                        + ", so the log may hold entries to replay; log replay is not implemented");
            }
            if (header.logVersion() != 0) {
                throw new IOException(path + ": unsupported log version " + header.logVersion());
            }

            List<VhdxRegion> regions = null;
            for (int i = 0; i < 2 && regions == null; i++) {
                byte[] raw = new byte[REGION_TABLE_SIZE];
                readFully(ch, ByteBuffer.wrap(raw), VhdxFormat.regionTableOffset(i), "region table " + (i + 1));
                try {
                    regions = VhdxRegion.decodeTable(raw);
                } catch (IOException e) {
                    why[i] = e.getMessage();
                }
            }
            if (regions == null) {
                throw new IOException(path + ": no valid region table: table 1 (192 KiB): "
                        + why[0] + "; table 2 (256 KiB): " + why[1]);
            }
            VhdxRegion batRegion = null;
            VhdxRegion metadataRegion = null;
            for (VhdxRegion r : regions) {
                if (r.guid().equals(VhdxFormat.BAT_REGION)) {
                    if (batRegion != null) {
                        throw new IOException(path + ": two BAT regions");
                    }
                    batRegion = r;
                } else if (r.guid().equals(VhdxFormat.METADATA_REGION)) {
                    if (metadataRegion != null) {
                        throw new IOException(path + ": two metadata regions");
                    }
                    metadataRegion = r;
                } else if (r.required()) {
                    throw new IOException(path + ": unsupported required region " + r.guid());
                }
            }
            if (batRegion == null || metadataRegion == null) {
                throw new IOException(path + ": the region table lacks the "
                        + (batRegion == null ? "BAT" : "metadata") + " region");
            }
            VhdxMetadata md;
            try {
                md = VhdxMetadata.decode(ch, metadataRegion);
            } catch (IOException e) {
                throw new IOException(path + ": " + e.getMessage(), e);
            }

            long entries = batEntries(md);
            if (entries * 8 > batRegion.length()) {
                throw new IOException(path + ": BAT region of " + batRegion.length()
                        + " bytes cannot hold " + entries + " entries");
            }
            byte[] rawBat = new byte[(int) (entries * 8)];
            readFully(ch, ByteBuffer.wrap(rawBat), batRegion.fileOffset(), "BAT");
            long[] bat = new long[(int) entries];
            VhdxFormat.le(rawBat).asLongBuffer().get(bat);
            long end = Math.max(HEADER_SECTION_SIZE, header.logOffset() + header.logLength());
            end = Math.max(end, batRegion.fileOffset() + batRegion.length());
            end = Math.max(end, metadataRegion.fileOffset() + metadataRegion.length());
            end = Math.max(end, checkBat(path, md, bat, fileSize));
            long nextFree = Math.max(end, VhdxFormat.roundUp(fileSize, MIB));

            Path parentPath = null;
            if (md.hasParent()) {
                parentPath = resolveParent(path, md.parentLocator());
                parent = openParent(path, parentPath, parentWritable, depth);
                checkLinkage(path, md, parent);
            }
            return new VhdxFile(path, ch, writable, header, slot, md, batRegion.fileOffset(),
                    bat, nextFree, parent, parentPath);
        } catch (IOException | RuntimeException | Error e) {
            if (parent != null) {
                closeQuietly(parent, e);
            }
            closeQuietly(ch, e);
            throw e;
        }
    }

    private static int currentHeader(Path path, VhdxHeader[] h, String[] why) throws IOException {
        if (h[0] == null && h[1] == null) {
            throw new IOException(path + ": no valid VHDX header: header 1 (64 KiB): " + why[0]
                    + "; header 2 (128 KiB): " + why[1]);
        }
        if (h[1] == null) {
            return 0;
        }
        if (h[0] == null) {
            return 1;
        }
        if (h[0].sequenceNumber() != h[1].sequenceNumber()) {
            return Long.compareUnsigned(h[0].sequenceNumber(), h[1].sequenceNumber()) > 0 ? 0 : 1;
        }
        if (h[0].equals(h[1])) {
            return 0;
        }
        throw new IOException(path + ": both headers have sequence number "
                + h[0].sequenceNumber() + " but differ");
    }

    /** Validates every BAT entry and returns the end of the furthest allocated block. */
    private static long checkBat(Path path, VhdxMetadata md, long[] bat, long fileSize)
            throws IOException {
        int ratio = chunkRatio(md.blockSize());
        long end = 0;
        for (int i = 0; i < bat.length; i++) {
            int state = (int) (bat[i] & BAT_STATE_MASK);
            long offset = bat[i] & BAT_OFFSET_MASK;
            boolean bitmapEntry = i % (ratio + 1) == ratio;
            long length;
            if (bitmapEntry) {
                if (state == SB_BLOCK_NOT_PRESENT) {
                    continue;
                }
                if (state != SB_BLOCK_PRESENT || !md.hasParent()) {
                    throw new IOException(path + ": BAT entry " + i
                            + " has an invalid sector bitmap state " + state);
                }
                length = SECTOR_BITMAP_BLOCK_SIZE;
            } else {
                switch (state) {
                    case PAYLOAD_BLOCK_NOT_PRESENT, PAYLOAD_BLOCK_UNDEFINED, PAYLOAD_BLOCK_ZERO,
                            PAYLOAD_BLOCK_UNMAPPED -> {
                        continue;
                    }
                    case PAYLOAD_BLOCK_FULLY_PRESENT -> length = md.blockSize();
                    case PAYLOAD_BLOCK_PARTIALLY_PRESENT -> {
                        int bitmap = (i / (ratio + 1)) * (ratio + 1) + ratio;
                        if (!md.hasParent() || bitmap >= bat.length
                                || (bat[bitmap] & BAT_STATE_MASK) != SB_BLOCK_PRESENT) {
                            throw new IOException(path + ": BAT entry " + i
                                    + " is partially present without a sector bitmap");
                        }
                        length = md.blockSize();
                    }
                    default -> throw new IOException(path + ": BAT entry " + i
                            + " has an invalid payload block state " + state);
                }
            }
            if (offset < HEADER_SECTION_SIZE) {
                throw new IOException(path + ": BAT entry " + i + " points into the header section");
            }
            if (offset + length > fileSize) {
                throw new IOException(path + ": BAT entry " + i + " points past the end of the file"
                        + " (offset " + offset + ", file size " + fileSize + "): truncated?");
            }
            end = Math.max(end, offset + length);
        }
        return end;
    }

    private static Path resolveParent(Path child, ParentLocator locator) throws IOException {
        FileSystem fs = child.getFileSystem();
        Path dir = child.toAbsolutePath().getParent();
        List<String> tried = new ArrayList<>();
        Optional<String> relative = locator.get(ParentLocator.RELATIVE_PATH);
        if (relative.isPresent()) {
            Path p = existing(() -> dir.resolve(fromWindows(fs, relative.get())), relative.get(), tried);
            if (p != null) {
                return p;
            }
        }
        Optional<String> absolute = locator.get(ParentLocator.ABSOLUTE_WIN32_PATH);
        if (absolute.isPresent()) {
            Path p = existing(() -> fs.getPath(fromWindows(fs, absolute.get())), absolute.get(), tried);
            if (p != null) {
                return p;
            }
        }
        if (tried.isEmpty()) {
            throw new IOException(child + ": the parent locator names no parent path");
        }
        throw new BrokenChainException(child + ": broken differencing chain: the parent disk "
                + "vanished (looked for " + String.join(", ", tried) + ")");
    }

    private static Path existing(Supplier<Path> candidate, String raw, List<String> tried) {
        try {
            Path p = candidate.get().normalize();
            tried.add(p.toString());
            return Files.exists(p) ? p : null;
        } catch (InvalidPathException e) {
            tried.add(raw + " (not a valid path here)");
            return null;
        }
    }

    private static VhdxFile openParent(Path child, Path parentPath, boolean writable, int depth)
            throws IOException {
        try {
            return open(parentPath, writable, false, depth + 1);
        } catch (BrokenChainException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new BrokenChainException(child + ": broken differencing chain: the parent disk "
                    + parentPath + " vanished", e);
        } catch (IOException e) {
            throw new BrokenChainException(child + ": broken differencing chain: the parent disk "
                    + parentPath + " cannot be opened: " + e.getMessage(), e);
        }
    }

    private static void checkLinkage(Path child, VhdxMetadata md, VhdxFile parent)
            throws IOException {
        ParentLocator locator = md.parentLocator();
        String linkage = locator.get(ParentLocator.PARENT_LINKAGE).orElseThrow(() ->
                new IOException(child + ": the parent locator has no parent_linkage"));
        UUID actual = parent.header.dataWriteGuid();
        boolean linked = VhdxFormat.parseGuidString(linkage).equals(actual);
        Optional<String> linkage2 = locator.get(ParentLocator.PARENT_LINKAGE2);
        if (!linked && linkage2.isPresent()) {
            linked = VhdxFormat.parseGuidString(linkage2.get()).equals(actual);
        }
        if (!linked) {
            throw new BrokenChainException(child + ": broken differencing chain: the parent disk "
                    + parent.path + " was modified after this disk was created (parent_linkage "
                    + linkage + ", the parent's DataWriteGuid is now "
                    + VhdxFormat.guidString(actual) + ")");
        }
        if (parent.virtualSize() != md.virtualSize()) {
            throw new BrokenChainException(child + ": broken differencing chain: virtual size "
                    + md.virtualSize() + " differs from the parent's " + parent.virtualSize());
        }
    }

    static String toWindows(Path p) {
        String separator = p.getFileSystem().getSeparator();
        return separator.equals("\\") ? p.toString() : p.toString().replace(separator, "\\");
    }

    private static String fromWindows(FileSystem fs, String windowsPath) {
        String separator = fs.getSeparator();
        return separator.equals("\\") ? windowsPath : windowsPath.replace("\\", separator);
    }

    private static void closeQuietly(AutoCloseable c, Throwable into) {
        try {
            c.close();
        } catch (Exception e) {
            into.addSuppressed(e);
        }
    }

    // ---- the disk ----

    @Override
    public Path path() {
        return path;
    }

    @Override
    public UUID diskId() {
        return metadata.diskId();
    }

    @Override
    public long virtualSize() {
        return metadata.virtualSize();
    }

    @Override
    public Optional<Path> parentPath() {
        return Optional.ofNullable(parentPath);
    }

    VhdxHeader header() {
        return header;
    }

    VhdxMetadata metadata() {
        return metadata;
    }

    /** The BAT state of a payload block (for tests and diagnostics). */
    int payloadState(int block) {
        return (int) (bat[payloadIndex(block)] & BAT_STATE_MASK);
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        checkAccess(offset, dst, dstOffset, length);
        forEachBlock(offset, length, (block, inBlock, done, n) -> readInBlock(block, inBlock, dst, dstOffset + done, n));
    }

    /** A piece of an I/O that falls in one block: {@code n} bytes at {@code inBlock}, {@code done} bytes into the I/O. */
    @FunctionalInterface
    private interface BlockPiece {
        void run(int block, int inBlock, int done, int n) throws IOException;
    }

    /** Cuts an I/O at block boundaries, in order. */
    private void forEachBlock(long offset, int length, BlockPiece piece) throws IOException {
        long pos = offset;
        int done = 0;
        while (done < length) {
            int block = (int) (pos / blockSize);
            int inBlock = (int) (pos % blockSize);
            int n = Math.min(length - done, blockSize - inBlock);
            piece.run(block, inBlock, done, n);
            pos += n;
            done += n;
        }
    }

    private void readInBlock(int block, int inBlock, byte[] dst, int dstOffset, int n)
            throws IOException {
        long entry = bat[payloadIndex(block)];
        long blockOffset = entry & BAT_OFFSET_MASK;
        long blockStart = (long) block * blockSize;
        switch ((int) (entry & BAT_STATE_MASK)) {
            case PAYLOAD_BLOCK_FULLY_PRESENT -> readData(blockOffset + inBlock, dst, dstOffset, n);
            case PAYLOAD_BLOCK_PARTIALLY_PRESENT -> {
                // Resolve sector by sector: runs present here come from this file, the rest
                // from the parent.
                byte[] bitmap = readBitmapSlice(block);
                int first = inBlock / LOGICAL_SECTOR;
                int end = first + n / LOGICAL_SECTOR;
                int s = first;
                while (s < end) {
                    boolean present = isSet(bitmap, s);
                    int e = s + 1;
                    while (e < end && isSet(bitmap, e) == present) {
                        e++;
                    }
                    int at = dstOffset + (s - first) * LOGICAL_SECTOR;
                    int len = (e - s) * LOGICAL_SECTOR;
                    if (present) {
                        readData(blockOffset + (long) s * LOGICAL_SECTOR, dst, at, len);
                    } else {
                        readBelow(blockStart + (long) s * LOGICAL_SECTOR, dst, at, len);
                    }
                    s = e;
                }
            }
            case PAYLOAD_BLOCK_ZERO -> Arrays.fill(dst, dstOffset, dstOffset + n, (byte) 0);
            default -> readBelow(blockStart + inBlock, dst, dstOffset, n);
        }
    }

    private void readBelow(long virtualOffset, byte[] dst, int dstOffset, int n) throws IOException {
        if (parent != null) {
            parent.read(virtualOffset, dst, dstOffset, n);
        } else {
            Arrays.fill(dst, dstOffset, dstOffset + n, (byte) 0);
        }
    }

    private void readData(long fileOffset, byte[] dst, int dstOffset, int n) throws IOException {
        readFully(channel, ByteBuffer.wrap(dst, dstOffset, n), fileOffset, path + " payload block");
    }

    @Override
    public void write(long offset, byte[] src, int srcOffset, int length) throws IOException {
        checkAccess(offset, src, srcOffset, length);
        if (!writable) {
            throw new IOException(path + " is open read-only");
        }
        if (length == 0) {
            return;
        }
        beginModification();
        forEachBlock(offset, length, (block, inBlock, done, n) -> writeInBlock(block, inBlock, src, srcOffset + done, n));
    }

    private void writeInBlock(int block, int inBlock, byte[] src, int srcOffset, int n)
            throws IOException {
        int index = payloadIndex(block);
        long entry = bat[index];
        int state = (int) (entry & BAT_STATE_MASK);
        long blockOffset = entry & BAT_OFFSET_MASK;
        switch (state) {
            case PAYLOAD_BLOCK_FULLY_PRESENT -> writeData(blockOffset + inBlock, src, srcOffset, n);
            case PAYLOAD_BLOCK_PARTIALLY_PRESENT -> {
                writeData(blockOffset + inBlock, src, srcOffset, n);
                if (markPresent(block, inBlock, n, false)) {
                    setBat(index, blockOffset | PAYLOAD_BLOCK_FULLY_PRESENT);
                }
            }
            default -> {
                long allocated = allocate(blockSize);
                writeData(allocated + inBlock, src, srcOffset, n);
                // A ZERO block has no parent content to fall through to: the rest stays zero.
                boolean inherits = metadata.hasParent() && state != PAYLOAD_BLOCK_ZERO;
                boolean wholeBlock = inBlock == 0 && n == validSectors(block) * LOGICAL_SECTOR;
                if (inherits && !wholeBlock) {
                    ensureSectorBitmap(block / chunkRatio);
                    markPresent(block, inBlock, n, true);
                    setBat(index, allocated | PAYLOAD_BLOCK_PARTIALLY_PRESENT);
                } else {
                    setBat(index, allocated | PAYLOAD_BLOCK_FULLY_PRESENT);
                }
            }
        }
    }

    private void writeData(long fileOffset, byte[] src, int srcOffset, int n) throws IOException {
        writeFully(channel, ByteBuffer.wrap(src, srcOffset, n), fileOffset);
    }

    /**
     * The spec wants a new FileWriteGuid before the first change to the file and a new
     * DataWriteGuid before the first change to the disk's content after it was opened; both
     * header copies are rewritten (non-current first) so each holds the new values.
     */
    private void beginModification() throws IOException {
        if (headersRefreshed) {
            return;
        }
        long sequence = header.sequenceNumber() + 1;
        UUID id = metadata.diskId();
        VhdxHeader updated = header.next(
                VhdxFormat.derive(id, "FileWriteGuid", header.fileWriteGuid(), sequence),
                VhdxFormat.derive(id, "DataWriteGuid", header.dataWriteGuid(), sequence));
        for (int i = 0; i < 2; i++) {
            int slot = 1 - headerSlot;
            writeFully(channel, ByteBuffer.wrap(updated.encode()), VhdxFormat.headerOffset(slot));
            channel.force(false);
            header = updated;
            headerSlot = slot;
            updated = updated.next(updated.fileWriteGuid(), updated.dataWriteGuid());
        }
        headersRefreshed = true;
    }

    /** Appends a zeroed, 1 MiB-aligned extent at the end of the file. */
    private long allocate(int length) throws IOException {
        long offset = nextFree;
        long end = offset + length;
        if (channel.size() < end) {
            writeFully(channel, ByteBuffer.wrap(new byte[1]), end - 1);
        }
        nextFree = end;
        return offset;
    }

    private void setBat(int index, long entry) throws IOException {
        byte[] raw = new byte[8];
        VhdxFormat.le(raw).putLong(0, entry);
        writeFully(channel, ByteBuffer.wrap(raw), batOffset + 8L * index);
        bat[index] = entry;
    }

    private void ensureSectorBitmap(int chunk) throws IOException {
        int index = bitmapIndex(chunk);
        if ((bat[index] & BAT_STATE_MASK) == SB_BLOCK_PRESENT) {
            return;
        }
        setBat(index, allocate(SECTOR_BITMAP_BLOCK_SIZE) | SB_BLOCK_PRESENT);
    }

    /** This block's bytes within its chunk's sector bitmap block: one bit a sector, LSB first. */
    private long bitmapSliceOffset(int block) {
        long sectorBitmap = bat[bitmapIndex(block / chunkRatio)] & BAT_OFFSET_MASK;
        return sectorBitmap + (long) (block % chunkRatio) * (sectorsPerBlock / 8);
    }

    private byte[] readBitmapSlice(int block) throws IOException {
        byte[] slice = new byte[sectorsPerBlock / 8];
        readFully(channel, ByteBuffer.wrap(slice), bitmapSliceOffset(block), path + " sector bitmap");
        return slice;
    }

    /** Marks sectors present; a fresh slice starts all clear. Returns whether all are present. */
    private boolean markPresent(int block, int inBlock, int n, boolean fresh) throws IOException {
        byte[] slice = fresh ? new byte[sectorsPerBlock / 8] : readBitmapSlice(block);
        int first = inBlock / LOGICAL_SECTOR;
        int end = first + n / LOGICAL_SECTOR;
        for (int s = first; s < end; s++) {
            slice[s >>> 3] |= (byte) (1 << (s & 7));
        }
        writeFully(channel, ByteBuffer.wrap(slice), bitmapSliceOffset(block));
        int valid = validSectors(block);
        for (int i = 0; i < valid / 8; i++) {
            if (slice[i] != (byte) 0xFF) {
                return false;
            }
        }
        for (int s = valid / 8 * 8; s < valid; s++) {
            if (!isSet(slice, s)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSet(byte[] bitmap, int sector) {
        return (bitmap[sector >>> 3] & (1 << (sector & 7))) != 0;
    }

    /** Copies the sectors this differencing disk holds into its parent (checkpoint merge). */
    void mergeIntoParent() throws IOException {
        if (parent == null) {
            throw new IOException(path + " is not a differencing disk: nothing to merge");
        }
        byte[] buffer = new byte[(int) Math.min(blockSize, MIB)];
        for (int block = 0; block < dataBlocks; block++) {
            long entry = bat[payloadIndex(block)];
            long blockOffset = entry & BAT_OFFSET_MASK;
            long blockStart = (long) block * blockSize;
            int valid = validSectors(block);
            switch ((int) (entry & BAT_STATE_MASK)) {
                case PAYLOAD_BLOCK_FULLY_PRESENT ->
                        copyToParent(blockOffset, blockStart, (long) valid * LOGICAL_SECTOR, buffer);
                case PAYLOAD_BLOCK_PARTIALLY_PRESENT -> {
                    byte[] bitmap = readBitmapSlice(block);
                    int s = 0;
                    while (s < valid) {
                        if (!isSet(bitmap, s)) {
                            s++;
                            continue;
                        }
                        int e = s + 1;
                        while (e < valid && isSet(bitmap, e)) {
                            e++;
                        }
                        long at = (long) s * LOGICAL_SECTOR;
                        copyToParent(blockOffset + at, blockStart + at,
                                (long) (e - s) * LOGICAL_SECTOR, buffer);
                        s = e;
                    }
                }
                case PAYLOAD_BLOCK_ZERO -> {
                    byte[] zeros = new byte[buffer.length];
                    for (long done = 0; done < (long) valid * LOGICAL_SECTOR; done += zeros.length) {
                        int n = (int) Math.min(zeros.length, (long) valid * LOGICAL_SECTOR - done);
                        parent.write(blockStart + done, zeros, 0, n);
                    }
                }
                default -> { }
            }
        }
        parent.flush();
    }

    private void copyToParent(long fileOffset, long virtualOffset, long length, byte[] buffer)
            throws IOException {
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(buffer.length, length - done);
            readData(fileOffset + done, buffer, 0, n);
            parent.write(virtualOffset + done, buffer, 0, n);
            done += n;
        }
    }

    private void checkAccess(long offset, byte[] buffer, int bufferOffset, int length)
            throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        Objects.checkFromIndexSize(bufferOffset, length, buffer.length);
        if (offset < 0 || offset % LOGICAL_SECTOR != 0 || length % LOGICAL_SECTOR != 0) {
            throw new IllegalArgumentException("offset " + offset + " and length " + length
                    + " must be non-negative multiples of the 512-byte logical sector");
        }
        if (offset + length > metadata.virtualSize()) {
            throw new IllegalArgumentException("range " + offset + "+" + length
                    + " exceeds the virtual size " + metadata.virtualSize() + " of " + path);
        }
    }

    @Override
    public void flush() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (writable) {
            channel.force(false);
        }
        if (parent != null) {
            parent.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } finally {
            if (parent != null) {
                parent.close();
            }
        }
    }

    @Override
    public String toString() {
        return "VHDX " + path + " (" + VhdxFormat.sizeText(metadata.virtualSize())
                + (metadata.hasParent() ? ", differencing" : metadata.leaveBlockAllocated()
                        ? ", fixed" : ", dynamic") + ")";
    }
}
