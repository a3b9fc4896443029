package io.replisim.hyperv.vhdx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Parent Locator metadata item of a differencing disk ([MS-VHDX] 2.6.2.6): a locator type
 * GUID and UTF-16LE key/value pairs. Entry order is kept so encoding is deterministic.
 */
record ParentLocator(UUID locatorType, Map<String, String> entries) {

    static final String PARENT_LINKAGE = "parent_linkage";
    static final String PARENT_LINKAGE2 = "parent_linkage2";
    static final String RELATIVE_PATH = "relative_path";
    static final String VOLUME_PATH = "volume_path";
    static final String ABSOLUTE_WIN32_PATH = "absolute_win32_path";

    private static final int HEADER_SIZE = 20;
    private static final int ENTRY_SIZE = 12;

    ParentLocator {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    byte[] encode() {
        int size = HEADER_SIZE + ENTRY_SIZE * entries.size();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            size += 2 * (e.getKey().length() + e.getValue().length());
        }
        byte[] bytes = new byte[size];
        ByteBuffer b = VhdxFormat.le(bytes);
        VhdxFormat.putGuid(b, 0, locatorType);
        b.putShort(18, (short) entries.size());
        int entryAt = HEADER_SIZE;
        int dataAt = HEADER_SIZE + ENTRY_SIZE * entries.size();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_16LE);
            byte[] value = e.getValue().getBytes(StandardCharsets.UTF_16LE);
            b.putInt(entryAt, dataAt);
            b.putInt(entryAt + 4, dataAt + key.length);
            b.putShort(entryAt + 8, (short) key.length);
            b.putShort(entryAt + 10, (short) value.length);
            b.put(dataAt, key);
            b.put(dataAt + key.length, value);
            dataAt += key.length + value.length;
            entryAt += ENTRY_SIZE;
        }
        return bytes;
    }

    static ParentLocator decode(byte[] bytes) throws IOException {
        if (bytes.length < HEADER_SIZE) {
            throw new IOException("parent locator shorter than its header");
        }
        ByteBuffer b = VhdxFormat.le(bytes);
        UUID type = VhdxFormat.getGuid(b, 0);
        int count = b.getShort(18) & 0xFFFF;
        if (HEADER_SIZE + (long) ENTRY_SIZE * count > bytes.length) {
            throw new IOException("parent locator entry table exceeds the item");
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int at = HEADER_SIZE + ENTRY_SIZE * i;
            String key = utf16(bytes, b.getInt(at), b.getShort(at + 8) & 0xFFFF);
            String value = utf16(bytes, b.getInt(at + 4), b.getShort(at + 10) & 0xFFFF);
            if (entries.putIfAbsent(key, value) != null) {
                throw new IOException("parent locator key '" + key + "' appears twice");
            }
        }
        return new ParentLocator(type, entries);
    }

    private static String utf16(byte[] bytes, int offset, int length) throws IOException {
        if (offset < 0 || length % 2 != 0 || (long) offset + length > bytes.length) {
            throw new IOException("parent locator string out of bounds (offset " + offset
                    + ", length " + length + ")");
        }
        return new String(bytes, offset, length, StandardCharsets.UTF_16LE);
    }
}
