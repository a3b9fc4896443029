package io.replisim.azure.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.replisim.azure.ManualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks exported replicas against a real VHD reader; skipped where qemu-img is not installed. */
class QemuImgCompatibilityTest {
    private static final Pattern VIRTUAL_SIZE = Pattern.compile("\"virtual-size\":\\s*(\\d+)");

    @TempDir
    Path dir;

    @BeforeAll
    static void requireQemuImg() {
        boolean found = false;
        for (String p : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            found |= !p.isEmpty() && Files.isExecutable(Path.of(p, "qemu-img"));
        }
        assumeTrue(found, "qemu-img is not installed");
    }

    private Path export(long size, List<PageWrite> writes) throws IOException {
        ManualClock clock = ManualClock.at("2026-01-05T07:00:00Z");
        MemoryBlobStorage storage = new MemoryBlobStorage(clock);
        ReplicaDisk disk = ReplicaDisk.create(storage, "replica", "vm/disk.vhd",
                UUID.fromString("6a1c0a4e-3d2b-4f5e-9c8d-7b6a5f4e3d2c"), size, clock.instant());
        disk.applyLog(1, writes);
        Path file = dir.resolve("disk.vhd");
        try (OutputStream out = Files.newOutputStream(file)) {
            disk.exportVhd(out);
        }
        return file;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "qemu-img timed out");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    private static long virtualSize(String json) {
        Matcher m = VIRTUAL_SIZE.matcher(json);
        assertEquals(true, m.find(), json);
        return Long.parseLong(m.group(1));
    }

    @Test
    void qemuImgReadsAnExportedReplicaAsAFixedVhdOfTheRightSize() throws Exception {
        // 1000 cylinders x 8 heads x 17 sectors: a size the CHS geometry expresses exactly, so
        // qemu, which sizes VHDs of unknown creators by geometry, reports the disk's full size
        long size = 1000L * 8 * 17 * 512;
        byte[] data = new byte[3 * 4096];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + 1);
        }
        Path file = export(size, List.of(new PageWrite(4096, data)));
        String info = run("qemu-img", "info", "-f", "vpc", "--output=json", file.toString());
        assertEquals(size, virtualSize(info), info);

        Path raw = dir.resolve("disk.raw");
        run("qemu-img", "convert", "-f", "vpc", "-O", "raw", file.toString(), raw.toString());
        byte[] expected = new byte[(int) size];
        System.arraycopy(data, 0, expected, 4096, data.length);
        assertArrayEquals(expected, Files.readAllBytes(raw));
    }

    @Test
    void qemuImgTakesTheFooterSizeOfAReplicaThatIsNoWholeGeometry() throws Exception {
        // not a whole CHS geometry: read by geometry, as qemu reads VHDs of creators it does not
        // know, the disk would shrink to 63.9 MiB; Hyper-V's creator makes it read the footer's size
        long size = 64L << 20;
        byte[] last = new byte[4096];
        java.util.Arrays.fill(last, (byte) 0x5a);
        Path file = export(size, List.of(new PageWrite(size - last.length, last)));
        String info = run("qemu-img", "info", "-f", "vpc", "--output=json", file.toString());
        assertEquals(size, virtualSize(info), info);
        // and a raw image of the same bytes compares identical, without a size warning
        Path raw = dir.resolve("same.raw");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(size);
            f.seek(size - last.length);
            f.write(last);
        }
        String compare = run("qemu-img", "compare", "-f", "vpc", "-F", "raw", file.toString(), raw.toString());
        assertEquals("Images are identical.", compare.strip());
    }
}
