package io.replisim.hyperv;

import io.replisim.hyperv.vhdx.Vhdx;
import java.util.BitSet;

/**
 * The allocation of one dynamic or differencing VHDX file, kept without the file: which payload
 * blocks and sector bitmap blocks exist, hence the file's size. It mirrors what
 * {@code VhdxFile} appends (a block on its first write; for a differencing disk, its chunk's
 * sector bitmap too unless the write covers the whole block), so model fidelity can count file
 * sizes and bytes fidelity can check space before a write reaches the file. A bitset a file:
 * 8 KiB for a 2 TiB disk of 32 MiB blocks.
 */
final class VhdxSpace {

    private final long virtualSize;
    private final int blockSize;
    private final boolean differencing;
    private final int chunkRatio;
    private final long emptySize;
    private final BitSet blocks = new BitSet();
    private final BitSet bitmaps = new BitSet();
    private long allocated;

    VhdxSpace(long virtualSize, int blockSize, boolean differencing) {
        this.virtualSize = virtualSize;
        this.blockSize = blockSize;
        this.differencing = differencing;
        this.chunkRatio = Vhdx.chunkRatio(blockSize);
        this.emptySize = Vhdx.emptyFileSize(virtualSize, blockSize, differencing);
    }

    VhdxSpace copy() {
        VhdxSpace c = new VhdxSpace(virtualSize, blockSize, differencing);
        c.blocks.or(blocks);
        c.bitmaps.or(bitmaps);
        c.allocated = allocated;
        return c;
    }

    /** The file's size now. */
    long fileBytes() {
        return emptySize + allocated;
    }

    /** The file's size once {@code [offset, offset + length)} has been written. */
    long fileBytesAfterWrite(long offset, long length) {
        return fileBytes() + allocate(offset, length, false);
    }

    /** Records the write's allocations. */
    void write(long offset, long length) {
        allocate(offset, length, true);
    }

    /** How much a merge of {@code child} into this (dynamic) file grows it. */
    long mergeGrowth(VhdxSpace child) {
        BitSet fresh = (BitSet) child.blocks.clone();
        fresh.andNot(blocks);
        return (long) fresh.cardinality() * blockSize;
    }

    /** Merging writes every block the child holds into this file, allocating those it lacks. */
    void merge(VhdxSpace child) {
        allocated += mergeGrowth(child);
        blocks.or(child.blocks);
    }

    private long allocate(long offset, long length, boolean commit) {
        long growth = 0;
        long lastNewChunk = -1;
        long end = offset + length;
        for (long pos = offset; pos < end; ) {
            int block = (int) (pos / blockSize);
            long inBlock = pos % blockSize;
            long n = Math.min(end - pos, blockSize - inBlock);
            if (!blocks.get(block)) {
                growth += blockSize;
                if (commit) {
                    blocks.set(block);
                }
                long valid = Math.min(blockSize, virtualSize - (long) block * blockSize);
                boolean wholeBlock = inBlock == 0 && n == valid;
                int chunk = block / chunkRatio;
                if (differencing && !wholeBlock && !bitmaps.get(chunk) && chunk != lastNewChunk) {
                    growth += Vhdx.SECTOR_BITMAP_BLOCK_SIZE;
                    lastNewChunk = chunk;
                    if (commit) {
                        bitmaps.set(chunk);
                    }
                }
            }
            pos += n;
        }
        if (commit) {
            allocated += growth;
        }
        return growth;
    }
}
