package io.replisim.hyperv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.UUID;

/**
 * The bytes a workload writes to a 4 KiB block: a pure function of (content seed, disk id, block
 * index, version), so the expected content of any block can be recomputed without storing it.
 */
public final class BlockContent {

    /** The unit of workload writes and of content generation. */
    public static final int BLOCK_SIZE = 4096;

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private BlockContent() {}

    /** Fills {@code dst[off, off + 4096)} with the content of that block at that version. */
    public static void fill(long contentSeed, UUID diskId, long blockIndex, long version, byte[] dst, int off) {
        Objects.checkFromIndexSize(off, BLOCK_SIZE, dst.length);
        long state = mix(mix(mix(mix(contentSeed) ^ diskId.getMostSignificantBits()) ^ diskId.getLeastSignificantBits())
                ^ blockIndex);
        state = mix(state ^ version);
        // SplitMix64: one multiply-xorshift round per 8 bytes.
        for (int i = 0; i < BLOCK_SIZE; i += Long.BYTES) {
            state += GOLDEN_GAMMA;
            LONGS.set(dst, off + i, mix(state));
        }
    }

    /** SplitMix64's finalizer (Stafford's variant 13). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
