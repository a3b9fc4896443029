package io.replisim.hyperv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Small hosts and helpers shared by the tests. */
final class Fixtures {

    static final long MIB = 1024L * 1024;

    private Fixtures() {}

    static HyperVHost host(TestClock clock, long volumeBytes) {
        return HyperVHost.start(HostConfig.standalone("hv01").toBuilder()
                .setVolumes(List.of(VolumeConfig.of("C", volumeBytes))).build(), clock);
    }

    /** A 512-aligned buffer filled with a recognisable pattern. */
    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + (i >>> 9));
        }
        return b;
    }

    static byte[] readAll(DiskView disk) throws IOException {
        byte[] all = new byte[(int) disk.sizeBytes()];
        disk.read(0, all, 0, all.length);
        return all;
    }

    static void zero(byte[] b) {
        Arrays.fill(b, (byte) 0);
    }

    /** Every .hrl file under the folder, in name order. */
    static List<Path> hrlFiles(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".hrl")).sorted().toList();
        }
    }
}
