package io.replisim.simulator.scenario;

/**
 * A real fleet read from a CSV file (path relative to the scenario file), one row per disk:
 * <pre>
 * host,vm,disk,size,churn
 * hv01,sql01,os,127GiB,64KiB/s
 * hv01,sql01,data,1TiB,2MB/s
 * hv02,web01,os,127GiB,0
 * </pre>
 * Rows of one VM (they must name the same host) make its disks, in row order; hosts are made
 * in the order they first appear, with this entry's {@code volume} and {@code memory}.
 * {@code size} and {@code churn} (the average write rate) take units as the scenario does
 * ({@code 2MB/s}, {@code 1.5MiB/min}), or plain numbers in GiB and MB/s; {@code 0} writes
 * nothing. Optional columns: {@code ioSize}, {@code hotspot}. {@code churn} here gives the
 * rest of every disk's workload (I/O size, hot spot, daily pattern, bursts); a row's rate
 * replaces its rate. Header names are case-insensitive.
 */
public record Inventory(String file, DataSize volume, DataSize memory, Site.Churn churn) {}
