package io.replisim.hyperv;

/**
 * One volume of a host: its name (a drive letter such as {@code "C"}, or a label such as
 * {@code "CSV1"}) and its capacity in bytes.
 *
 * @param name          the volume's name, unique on its host (case-insensitive)
 * @param capacityBytes the capacity, a positive multiple of 4096 (the NTFS cluster size)
 */
public record VolumeConfig(String name, long capacityBytes) {

    /** NTFS's default cluster size; also the allocation unit of the Jimfs file system. */
    static final int CLUSTER_SIZE = 4096;

    public VolumeConfig {
        Names.fileName("volume name", name);
        if (capacityBytes < 1024 * 1024 || capacityBytes % CLUSTER_SIZE != 0) {
            throw new IllegalArgumentException("capacity of volume " + name
                    + " must be at least 1 MiB and a multiple of 4096 bytes, got " + capacityBytes);
        }
    }

    public static VolumeConfig of(String name, long capacityBytes) {
        return new VolumeConfig(name, capacityBytes);
    }
}
