package io.replisim.azure.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The 512-byte footer of a fixed VHD, per Microsoft's Virtual Hard Disk Image Format
 * Specification. A fixed VHD is the raw disk followed by this footer; Azure stores replicated
 * disks that way in page blobs.
 *
 * <p>The unique id is stored in RFC 4122 byte order (most significant byte first); the
 * specification does not say which order, and readers only compare it.
 *
 * @param originalSize      the size at creation; equal to {@code currentSize} unless the disk grew
 * @param currentSize       the disk's size in bytes, a multiple of 512
 * @param geometry          CHS geometry, by the specification's algorithm for {@code currentSize}
 * @param timestamp         creation time, whole seconds, 2000-01-01 to 2136
 * @param creatorApplication four ASCII characters
 * @param creatorVersion    major in the high 16 bits, minor in the low 16 bits
 * @param creatorHostOs     four ASCII characters ({@code Wi2k} for Windows)
 * @param uniqueId          identifies the disk
 * @param savedState        whether the disk is in a saved state (always false for replicas)
 */
public record FixedVhd(long originalSize, long currentSize, Geometry geometry, Instant timestamp,
        String creatorApplication, int creatorVersion, String creatorHostOs, UUID uniqueId, boolean savedState) {

    public static final int FOOTER_SIZE = 512;
    public static final String COOKIE = "conectix";
    public static final int FEATURES = 0x00000002; // "reserved" bit, always set
    public static final int FILE_FORMAT_VERSION = 0x00010000;
    public static final long FIXED_DATA_OFFSET = 0xFFFFFFFFFFFFFFFFL;
    public static final int DISK_TYPE_FIXED = 2;
    /**
     * Hyper-V's creator (version 10.0), as on the fixed VHDs Hyper-V and Azure's tooling write:
     * readers such as qemu-img then take the footer's size instead of the CHS geometry's, which
     * rounds sizes that are not a whole geometry down.
     */
    public static final String CREATOR_APPLICATION = "win ";
    public static final int CREATOR_VERSION = 0x000A0000;
    public static final String CREATOR_HOST_OS = "Wi2k";
    /** VHD timestamps count seconds from this instant. */
    public static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    private static final int CHECKSUM_OFFSET = 64;

    public FixedVhd {
        if (currentSize < 0 || currentSize % 512 != 0) {
            throw new IllegalArgumentException("VHD size " + currentSize + " must be a non-negative multiple of 512");
        }
        if (originalSize < 0) {
            throw new IllegalArgumentException("VHD original size " + originalSize + " is negative");
        }
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(timestamp, "timestamp");
        long seconds = timestamp.getEpochSecond() - EPOCH.getEpochSecond();
        if (seconds < 0 || seconds > 0xFFFFFFFFL || timestamp.getNano() != 0) {
            throw new IllegalArgumentException("VHD timestamp " + timestamp
                    + " must be whole seconds between 2000-01-01T00:00:00Z and 2136-02-07T06:28:15Z");
        }
        checkFourCc("creatorApplication", creatorApplication);
        checkFourCc("creatorHostOs", creatorHostOs);
        Objects.requireNonNull(uniqueId, "uniqueId");
    }

    /** The footer replisim writes for a new fixed disk of {@code sizeBytes} created at {@code created}. */
    public static FixedVhd of(long sizeBytes, UUID uniqueId, Instant created) {
        return new FixedVhd(sizeBytes, sizeBytes, Geometry.forSize(sizeBytes),
                Instant.ofEpochSecond(created.getEpochSecond()), CREATOR_APPLICATION, CREATOR_VERSION, CREATOR_HOST_OS, uniqueId, false);
    }

    /** The footer's 512 bytes, checksum included. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(FOOTER_SIZE); // big-endian, as the format requires
        b.put(COOKIE.getBytes(StandardCharsets.US_ASCII));
        b.putInt(FEATURES);
        b.putInt(FILE_FORMAT_VERSION);
        b.putLong(FIXED_DATA_OFFSET);
        b.putInt((int) (timestamp.getEpochSecond() - EPOCH.getEpochSecond()));
        b.put(creatorApplication.getBytes(StandardCharsets.US_ASCII));
        b.putInt(creatorVersion);
        b.put(creatorHostOs.getBytes(StandardCharsets.US_ASCII));
        b.putLong(originalSize);
        b.putLong(currentSize);
        b.putShort((short) geometry.cylinders());
        b.put((byte) geometry.heads());
        b.put((byte) geometry.sectorsPerTrack());
        b.putInt(DISK_TYPE_FIXED);
        b.putInt(0); // checksum, filled in below
        b.putLong(uniqueId.getMostSignificantBits());
        b.putLong(uniqueId.getLeastSignificantBits());
        b.put((byte) (savedState ? 1 : 0));
        byte[] bytes = b.array(); // the 427 reserved bytes stay zero
        ByteBuffer.wrap(bytes).putInt(CHECKSUM_OFFSET, checksum(bytes));
        return bytes;
    }

    /** Parses a fixed VHD footer, verifying its cookie, checksum and disk type. */
    public static FixedVhd parse(byte[] footer) {
        if (footer.length != FOOTER_SIZE) {
            throw new InvalidVhdException("VHD footer must be 512 bytes, got " + footer.length);
        }
        ByteBuffer b = ByteBuffer.wrap(footer);
        String cookie = ascii(footer, 0, 8);
        if (!COOKIE.equals(cookie)) {
            throw new InvalidVhdException("not a VHD footer: cookie is '" + cookie + "', expected 'conectix'");
        }
        int stored = b.getInt(CHECKSUM_OFFSET);
        int computed = checksum(footer);
        if (stored != computed) {
            throw new InvalidVhdException(String.format("VHD footer checksum 0x%08x does not match computed 0x%08x",
                    stored, computed));
        }
        int diskType = b.getInt(60);
        if (diskType != DISK_TYPE_FIXED) {
            throw new InvalidVhdException("VHD disk type " + diskType + " is not fixed (2)");
        }
        long seconds = Integer.toUnsignedLong(b.getInt(24));
        Geometry geometry = new Geometry(Short.toUnsignedInt(b.getShort(56)), Byte.toUnsignedInt(b.get(58)),
                Byte.toUnsignedInt(b.get(59)));
        try {
            return new FixedVhd(b.getLong(40), b.getLong(48), geometry, EPOCH.plusSeconds(seconds), ascii(footer, 28, 4),
                    b.getInt(32), ascii(footer, 36, 4), new UUID(b.getLong(68), b.getLong(76)), footer[84] != 0);
        } catch (IllegalArgumentException e) {
            throw new InvalidVhdException("invalid VHD footer: " + e.getMessage());
        }
    }

    /** One's complement of the sum of all footer bytes except the checksum field. */
    static int checksum(byte[] footer) {
        int sum = 0;
        for (int i = 0; i < FOOTER_SIZE; i++) {
            if (i < CHECKSUM_OFFSET || i >= CHECKSUM_OFFSET + 4) {
                sum += footer[i] & 0xFF;
            }
        }
        return ~sum;
    }

    private static String ascii(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.US_ASCII);
    }

    private static void checkFourCc(String field, String value) {
        if (value == null || value.length() != 4 || !value.chars().allMatch(c -> c < 0x80)) {
            throw new IllegalArgumentException(field + " '" + value + "' must be 4 ASCII characters");
        }
    }

    /** Cylinders, heads and sectors per track, as stored in the footer. */
    public record Geometry(int cylinders, int heads, int sectorsPerTrack) {

        /** The largest geometry a VHD can express (about 127 GiB). */
        public static final Geometry MAX = new Geometry(65535, 16, 255);

        public Geometry {
            if (cylinders < 0 || cylinders > 0xFFFF || heads < 0 || heads > 0xFF || sectorsPerTrack < 0
                    || sectorsPerTrack > 0xFF) {
                throw new IllegalArgumentException(
                        "geometry " + cylinders + "/" + heads + "/" + sectorsPerTrack + " does not fit the footer");
            }
        }

        /** The geometry the specification's algorithm (appendix "CHS Calculation") gives for a size. */
        public static Geometry forSize(long sizeBytes) {
            long totalSectors = Math.min(sizeBytes / 512, 65535L * 16 * 255);
            long sectorsPerTrack;
            long heads;
            long cylinderTimesHeads;
            if (totalSectors >= 65535L * 16 * 63) {
                sectorsPerTrack = 255;
                heads = 16;
                cylinderTimesHeads = totalSectors / sectorsPerTrack;
            } else {
                sectorsPerTrack = 17;
                cylinderTimesHeads = totalSectors / sectorsPerTrack;
                heads = (cylinderTimesHeads + 1023) / 1024;
                if (heads < 4) {
                    heads = 4;
                }
                if (cylinderTimesHeads >= heads * 1024 || heads > 16) {
                    sectorsPerTrack = 31;
                    heads = 16;
                    cylinderTimesHeads = totalSectors / sectorsPerTrack;
                }
                if (cylinderTimesHeads >= heads * 1024) {
                    sectorsPerTrack = 63;
                    heads = 16;
                    cylinderTimesHeads = totalSectors / sectorsPerTrack;
                }
            }
            return new Geometry((int) (cylinderTimesHeads / heads), (int) heads, (int) sectorsPerTrack);
        }

        /** Sectors addressed by this geometry; may be less than the disk's size. */
        public long totalSectors() {
            return (long) cylinders * heads * sectorsPerTrack;
        }

        @Override
        public String toString() {
            return cylinders + "/" + heads + "/" + sectorsPerTrack;
        }
    }
}
