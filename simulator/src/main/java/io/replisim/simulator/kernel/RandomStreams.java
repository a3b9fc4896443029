package io.replisim.simulator.kernel;

import java.util.HashMap;
import java.util.Map;

/**
 * Named random streams of one run. Each stream's seed is derived from (run seed, name) alone,
 * so creating streams in another order, or adding a stream, never changes another stream's
 * draws.
 */
public final class RandomStreams {

    private final long seed;
    private final Map<String, RandomStream> streams = new HashMap<>(); // lookups only, never iterated

    public RandomStreams(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** The stream called {@code name}; the same name always gives the same instance. */
    public RandomStream stream(String name) {
        RandomStream s = streams.get(name);
        if (s == null) {
            s = new RandomStream(name, deriveSeed(seed, name));
            streams.put(name, s);
        }
        return s;
    }

    /**
     * The seed of stream {@code name} in a run seeded with {@code seed}: FNV-1a over the name's
     * UTF-16 code units, then SplitMix64 finalizers mixing in the run seed. Part of the
     * reproducibility contract: changing it changes every run.
     */
    public static long deriveSeed(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x100000001b3L;
        }
        return RandomStream.mix64(RandomStream.mix64(seed + RandomStream.GOLDEN_GAMMA) ^ RandomStream.mix64(h));
    }
}
