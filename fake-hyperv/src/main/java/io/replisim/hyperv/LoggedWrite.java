package io.replisim.hyperv;

/**
 * One write a log holds, without its payload: where it went and the content version it gave
 * that range. Applying a log's writes in order with {@link ExtentMap#assign} to a replica's map
 * does to the map what applying the payloads does to the replica's bytes.
 *
 * @param offset  byte offset on the virtual disk, a multiple of 512
 * @param length  bytes written, a positive multiple of 512
 * @param version the content version the write gave the range (see {@link VirtualDisk})
 */
public record LoggedWrite(long offset, int length, long version) {}
