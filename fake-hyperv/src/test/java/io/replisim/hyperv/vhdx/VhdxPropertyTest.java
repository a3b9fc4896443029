package io.replisim.hyperv.vhdx;

import static io.replisim.hyperv.vhdx.DiskContent.MIB;
import static io.replisim.hyperv.vhdx.DiskContent.assertContent;
import static io.replisim.hyperv.vhdx.DiskContent.unchecked;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Random sector-aligned writes must read back like a plain byte[] model, whatever happens. */
class VhdxPropertyTest {

    // Not a multiple of the block size, so the last block sticks out of the disk.
    private static final long SIZE = 6L * MIB + 3 * 512;
    private static final int SECTORS = (int) (SIZE / 512);

    /** A write of {@code sectors} seeded sectors at {@code sector}, maybe reopening first. */
    record Op(int sector, int sectors, int seed, boolean reopenFirst) {
        Op {
            sectors = Math.min(sectors, SECTORS - sector);
        }

        @Override
        public String toString() {
            return (reopenFirst ? "reopen; " : "") + "write sectors " + sector + "+" + sectors
                    + " seed " + seed;
        }
    }

    private static Gen<Op> ops() {
        // Short writes dominate; some cross block boundaries (2048 sectors per 1 MiB block) or
        // fill most of a larger block.
        Gen<Integer> lengths = integers().between(1, 16).mix(integers().between(1, 5000), 30);
        return integers().between(0, SECTORS - 1).zip(lengths, integers().all(),
                integers().between(0, 3).map(n -> n == 0),
                Op::new);
    }

    @Test
    void randomWritesReadBackLikeAByteArrayAcrossReopenDifferencingAndMerge() {
        qt().withExamples(40).withShrinkCycles(200)
                .forAll(booleans().all(), integers().between(0, 2).map(i -> MIB << i),
                        lists().of(ops()).ofSizeBetween(0, 12), lists().of(ops()).ofSizeBetween(0, 12))
                .checkAssert((fixed, blockSize, baseOps, childOps) ->
                        unchecked(() -> check(fixed, blockSize, baseOps, childOps)));
    }

    private static void check(boolean fixed, int blockSize, List<Op> baseOps, List<Op> childOps)
            throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = Files.createDirectories(fs.getPath("/vol"));
            Path base = dir.resolve("disk.vhdx");
            Path child = dir.resolve("disk_1.avhdx");
            UUID id = new UUID(1, 1);
            byte[] model = new byte[(int) SIZE];

            VirtualHardDisk disk = fixed
                    ? Vhdx.createFixed(base, SIZE, blockSize, id)
                    : Vhdx.createDynamic(base, SIZE, blockSize, id);
            disk = apply(disk, base, baseOps, model);
            assertContent(model, disk);
            disk.close();
            byte[] baseModel = model.clone();

            VirtualHardDisk diff = Vhdx.createDifferencing(child, base, new UUID(2, 2));
            diff = apply(diff, child, childOps, model);
            assertContent(model, diff);
            diff.close();
            try (VirtualHardDisk reopened = Vhdx.openReadOnly(child)) {
                assertContent(model, reopened);
            }
            try (VirtualHardDisk parent = Vhdx.openReadOnly(base)) {
                assertContent(baseModel, parent);
            }

            Vhdx.merge(child);
            try (VirtualHardDisk merged = Vhdx.open(base)) {
                assertContent(model, merged);
            }
        }
    }

    private static VirtualHardDisk apply(VirtualHardDisk disk, Path path, List<Op> ops, byte[] model)
            throws IOException {
        VirtualHardDisk current = disk;
        for (Op op : ops) {
            if (op.reopenFirst()) {
                current.close();
                current = Vhdx.open(path);
            }
            DiskContent.write(current, model, op.sector() * 512L, op.sectors() * 512, op.seed());
        }
        return current;
    }
}
