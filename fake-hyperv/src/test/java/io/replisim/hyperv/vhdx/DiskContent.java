package io.replisim.hyperv.vhdx;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/** Test helpers: seeded content, whole-disk reads, and a comparison that names the first diff. */
final class DiskContent {

    static final int MIB = 1024 * 1024;

    private DiskContent() {}

    static byte[] bytes(long seed, int length) {
        byte[] b = new byte[length];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Writes seeded bytes to the disk and the same bytes to the model. */
    static void write(VirtualHardDisk disk, byte[] model, long offset, int length, long seed)
            throws IOException {
        byte[] b = bytes(seed, length);
        disk.write(offset, b, 0, length);
        System.arraycopy(b, 0, model, (int) offset, length);
    }

    static byte[] readAll(VirtualHardDisk disk) throws IOException {
        byte[] b = new byte[(int) disk.virtualSize()];
        disk.read(0, b, 0, b.length);
        return b;
    }

    static void assertContent(byte[] expected, VirtualHardDisk disk) {
        byte[] actual;
        try {
            actual = readAll(disk);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertSame(expected, actual, disk.toString());
    }

    static void assertSame(byte[] expected, byte[] actual, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                fail(what + ": first difference at byte " + i + " (sector " + i / 512
                        + "): " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    interface IoAction {
        void run() throws IOException;
    }

    static void unchecked(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
