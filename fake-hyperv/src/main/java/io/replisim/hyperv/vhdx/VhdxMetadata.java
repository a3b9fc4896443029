package io.replisim.hyperv.vhdx;

import static io.replisim.hyperv.vhdx.VhdxFormat.FILE_PARAMETERS;
import static io.replisim.hyperv.vhdx.VhdxFormat.LOGICAL_SECTOR_SIZE;
import static io.replisim.hyperv.vhdx.VhdxFormat.META_IS_REQUIRED;
import static io.replisim.hyperv.vhdx.VhdxFormat.META_IS_VIRTUAL_DISK;
import static io.replisim.hyperv.vhdx.VhdxFormat.METADATA_SIGNATURE;
import static io.replisim.hyperv.vhdx.VhdxFormat.METADATA_TABLE_SIZE;
import static io.replisim.hyperv.vhdx.VhdxFormat.PARENT_LOCATOR;
import static io.replisim.hyperv.vhdx.VhdxFormat.PHYSICAL_SECTOR_SIZE;
import static io.replisim.hyperv.vhdx.VhdxFormat.VIRTUAL_DISK_ID;
import static io.replisim.hyperv.vhdx.VhdxFormat.VIRTUAL_DISK_SIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The metadata region ([MS-VHDX] 2.6): a 64 KiB table of entries, then the items. We write the
 * five items every VHDX needs, plus the Parent Locator for a differencing disk.
 */
record VhdxMetadata(
        int blockSize,
        boolean leaveBlockAllocated,
        boolean hasParent,
        long virtualSize,
        UUID diskId,
        int logicalSectorSize,
        int physicalSectorSize,
        ParentLocator parentLocator) {

    private static final int TABLE_HEADER_SIZE = 32;
    private static final int ENTRY_SIZE = 32;

    private record Item(UUID id, int flags, byte[] data) {}

    /** The region's content from its start: table, then items from 64 KiB. */
    byte[] encode() {
        List<Item> items = new ArrayList<>();
        byte[] params = new byte[8];
        ByteBuffer p = VhdxFormat.le(params);
        p.putInt(0, blockSize);
        p.putInt(4, (leaveBlockAllocated ? VhdxFormat.PARAM_LEAVE_BLOCK_ALLOCATED : 0)
                | (hasParent ? VhdxFormat.PARAM_HAS_PARENT : 0));
        items.add(new Item(FILE_PARAMETERS, META_IS_REQUIRED, params));
        byte[] size = new byte[8];
        VhdxFormat.le(size).putLong(0, virtualSize);
        items.add(new Item(VIRTUAL_DISK_SIZE, META_IS_REQUIRED | META_IS_VIRTUAL_DISK, size));
        byte[] page83 = new byte[16];
        VhdxFormat.putGuid(VhdxFormat.le(page83), 0, diskId);
        items.add(new Item(VIRTUAL_DISK_ID, META_IS_REQUIRED | META_IS_VIRTUAL_DISK, page83));
        byte[] logical = new byte[4];
        VhdxFormat.le(logical).putInt(0, logicalSectorSize);
        items.add(new Item(LOGICAL_SECTOR_SIZE, META_IS_REQUIRED | META_IS_VIRTUAL_DISK, logical));
        byte[] physical = new byte[4];
        VhdxFormat.le(physical).putInt(0, physicalSectorSize);
        items.add(new Item(PHYSICAL_SECTOR_SIZE, META_IS_REQUIRED | META_IS_VIRTUAL_DISK, physical));
        if (parentLocator != null) {
            items.add(new Item(PARENT_LOCATOR, META_IS_REQUIRED, parentLocator.encode()));
        }

        int total = METADATA_TABLE_SIZE;
        for (Item item : items) {
            total += item.data.length;
        }
        if (total > VhdxFormat.METADATA_LENGTH) {
            throw new IllegalArgumentException("metadata items exceed the 1 MiB metadata region");
        }
        byte[] bytes = new byte[total];
        ByteBuffer b = VhdxFormat.le(bytes);
        b.put(0, METADATA_SIGNATURE);
        b.putShort(10, (short) items.size());
        int entryAt = TABLE_HEADER_SIZE;
        int itemAt = METADATA_TABLE_SIZE;
        for (Item item : items) {
            VhdxFormat.putGuid(b, entryAt, item.id);
            b.putInt(entryAt + 16, itemAt);
            b.putInt(entryAt + 20, item.data.length);
            b.putInt(entryAt + 24, item.flags);
            b.put(itemAt, item.data);
            itemAt += item.data.length;
            entryAt += ENTRY_SIZE;
        }
        return bytes;
    }

    static VhdxMetadata decode(FileChannel ch, VhdxRegion region) throws IOException {
        byte[] table = new byte[METADATA_TABLE_SIZE];
        VhdxFormat.readFully(ch, ByteBuffer.wrap(table), region.fileOffset(), "metadata table");
        ByteBuffer b = VhdxFormat.le(table);
        if (!VhdxFormat.startsWith(table, 0, METADATA_SIGNATURE)) {
            throw new IOException("metadata region has no 'metadata' signature");
        }
        int count = b.getShort(10) & 0xFFFF;
        if (count > VhdxFormat.MAX_METADATA_ENTRIES) {
            throw new IOException("metadata entry count " + count + " exceeds 2047");
        }
        Map<UUID, byte[]> known = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int at = TABLE_HEADER_SIZE + ENTRY_SIZE * i;
            UUID id = VhdxFormat.getGuid(b, at);
            long offset = b.getInt(at + 16) & 0xFFFFFFFFL;
            long length = b.getInt(at + 20) & 0xFFFFFFFFL;
            int flags = b.getInt(at + 24);
            boolean isKnown = id.equals(FILE_PARAMETERS) || id.equals(VIRTUAL_DISK_SIZE)
                    || id.equals(VIRTUAL_DISK_ID) || id.equals(LOGICAL_SECTOR_SIZE)
                    || id.equals(PHYSICAL_SECTOR_SIZE) || id.equals(PARENT_LOCATOR);
            if (!isKnown) {
                // The spec: an unknown required item means we cannot use the file safely.
                if ((flags & META_IS_REQUIRED) != 0) {
                    throw new IOException("unsupported required metadata item " + id);
                }
                continue;
            }
            if (length > 0 && (offset < METADATA_TABLE_SIZE || offset + length > region.length())) {
                throw new IOException("metadata item " + id + " lies outside the metadata region");
            }
            byte[] data = new byte[(int) length];
            VhdxFormat.readFully(ch, ByteBuffer.wrap(data), region.fileOffset() + offset,
                    "metadata item " + id);
            if (known.put(id, data) != null) {
                throw new IOException("metadata item " + id + " appears twice");
            }
        }

        ByteBuffer params = item(known, FILE_PARAMETERS, "File Parameters", 8);
        int blockSize = params.getInt(0);
        int paramFlags = params.getInt(4);
        long virtualSize = item(known, VIRTUAL_DISK_SIZE, "Virtual Disk Size", 8).getLong(0);
        UUID diskId = VhdxFormat.getGuid(item(known, VIRTUAL_DISK_ID, "Virtual Disk ID", 16), 0);
        int logical = item(known, LOGICAL_SECTOR_SIZE, "Logical Sector Size", 4).getInt(0);
        int physical = item(known, PHYSICAL_SECTOR_SIZE, "Physical Sector Size", 4).getInt(0);
        boolean hasParent = (paramFlags & VhdxFormat.PARAM_HAS_PARENT) != 0;
        ParentLocator locator = null;
        if (hasParent) {
            byte[] raw = known.get(PARENT_LOCATOR);
            if (raw == null) {
                throw new IOException("differencing disk (HasParent) without a Parent Locator item");
            }
            locator = ParentLocator.decode(raw);
            if (!locator.locatorType().equals(VhdxFormat.VHDX_PARENT_LOCATOR_TYPE)) {
                throw new IOException("unsupported parent locator type " + locator.locatorType());
            }
        }

        if (Integer.bitCount(blockSize) != 1 || blockSize < VhdxFormat.MIN_BLOCK_SIZE
                || blockSize > VhdxFormat.MAX_BLOCK_SIZE) {
            throw new IOException("invalid block size " + blockSize
                    + " (a power of two from 1 MiB to 256 MiB)");
        }
        if (logical != VhdxFormat.LOGICAL_SECTOR) {
            throw new IOException("logical sector size " + logical + " not supported (only 512)");
        }
        if (physical != 512 && physical != 4096) {
            throw new IOException("invalid physical sector size " + physical);
        }
        if (virtualSize <= 0 || virtualSize % logical != 0
                || virtualSize > VhdxFormat.MAX_VIRTUAL_SIZE) {
            throw new IOException("invalid virtual disk size " + virtualSize);
        }
        return new VhdxMetadata(blockSize,
                (paramFlags & VhdxFormat.PARAM_LEAVE_BLOCK_ALLOCATED) != 0, hasParent,
                virtualSize, diskId, logical, physical, locator);
    }

    private static ByteBuffer item(Map<UUID, byte[]> known, UUID id, String name, int length)
            throws IOException {
        byte[] data = known.get(id);
        if (data == null) {
            throw new IOException("required metadata item " + name + " is missing");
        }
        if (data.length < length) {
            throw new IOException("metadata item " + name + " is " + data.length
                    + " bytes, expected " + length);
        }
        return VhdxFormat.le(data);
    }
}
