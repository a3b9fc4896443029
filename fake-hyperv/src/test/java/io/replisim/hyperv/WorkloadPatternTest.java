package io.replisim.hyperv;

import static io.replisim.hyperv.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.hyperv.WorkloadSpec.Burst;
import io.replisim.hyperv.WorkloadSpec.IoSize;
import java.io.IOException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** I/O size distributions, Zipf locality, daily patterns, bursts: deterministic and at the right rates. */
class WorkloadPatternTest {

    private static final long SECOND = 1_000_000_000L;
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void theSameSeedsGiveTheSameWritesForEveryKindOfWorkload() throws IOException {
        WorkloadSpec spec = WorkloadSpec.builder().setChurnBytesPerSecond(MIB).setZipf(1.2, 64 * 1024)
                .setIoSizes(new IoSize(4096, 3), new IoSize(65536, 1))
                .setHourlyMultipliers(hours(0.5, 2))
                .addBurst(Burst.daily("backup", LocalTime.of(8, 30), Duration.ofMinutes(10), 4 * MIB)).build();
        List<LoggedWrite> a = writes(spec, 1, 40);
        assertEquals(a, writes(spec, 1, 40));
        assertNotEquals(a, writes(spec, 2, 40), "another random stream");
        assertTrue(a.size() > 1000, a.size() + " writes");
    }

    @Test
    void zipfPutsEachRangesShareOfWritesByItsRank() throws IOException {
        // 64 ranges of 1 MiB with exponent 1: rank k takes 1/(k H64) of the writes, H64 = 4.7439.
        WorkloadSpec spec = WorkloadSpec.builder().setChurnBytesPerSecond(4 * MIB).setIoSizeBytes(4096)
                .setZipf(1.0, MIB).build();
        List<LoggedWrite> writes = writes(spec, 3, 20); // 20 480 writes
        long[] perRange = new long[64];
        for (LoggedWrite w : writes) {
            perRange[(int) (w.offset() / MIB)]++;
        }
        long[] sorted = perRange.clone();
        java.util.Arrays.sort(sorted);
        double top = (double) sorted[63] / writes.size();
        assertEquals(1 / 4.7439, top, 0.015, "the most popular range");
        assertEquals(1 / (2 * 4.7439), (double) sorted[62] / writes.size(), 0.012, "the second");
        assertEquals(perRange[0], sorted[63], "rank 1 is the first range");
        assertTrue(perRange[1] < sorted[60], "ranks are scattered: the next range is not rank 2");
    }

    @Test
    void aDailyPatternWritesEachHourAtItsRate() throws IOException {
        double[] pattern = new double[24];
        for (int h = 0; h < 24; h++) {
            pattern[h] = h < 7 ? 0.25 : h < 19 ? 2 : 0.5;
        }
        WorkloadSpec spec = WorkloadSpec.builder().setChurnBytesPerSecond(64 * 1024).setIoSizeBytes(65536)
                .setHourlyMultipliers(pattern).build();
        TestClock clock = new TestClock(ZonedDateTime.of(2026, 1, 5, 0, 0, 0, 0, PARIS).toInstant());
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB, Fidelity.MODEL)) {
            Workload w = new Workload(host.createVm("vm1", "C").addDisk("disk0", 32 * MIB), spec,
                    new SplittableRandom(4), 4, clock, PARIS);
            long day = 0;
            for (int hour = 0; hour < 24; hour++) {
                long written = 0;
                for (int step = 0; step < 7; step++) { // uneven steps that cross the hour
                    long nanos = step < 6 ? 555 * SECOND : 3600 * SECOND - 6 * 555 * SECOND;
                    clock.advance(Duration.ofNanos(nanos));
                    written += w.advance(nanos);
                }
                assertEquals(spec.hourlyBytesPerSecond(hour) * 3600, written, 65536, "hour " + hour);
                day += written;
            }
            assertEquals(spec.bytesPerDay(DayOfWeek.MONDAY), day, 65536);
            assertEquals((long) (64 * 1024 * (7 * 0.25 + 12 * 2 + 5 * 0.5) / 24 * 86400), day, 65536,
                    "the day's average rate is the churn times the mean multiplier");
            assertEquals(128 * 1024, w.bytesPerSecondAt(ZonedDateTime.of(2026, 1, 6, 12, 0, 0, 0, PARIS).toInstant()));
        }
    }

    @Test
    void aNightlyBurstAddsItsRateInItsWindowOnlyOnItsDays() throws IOException {
        // Sunday night backup, 23:30 to 01:30, 1 MiB/s on top of 16 KiB/s.
        Burst backup = new Burst("backup", LocalTime.of(23, 30), Duration.ofHours(2), MIB, EnumSet.of(DayOfWeek.SUNDAY));
        WorkloadSpec spec = WorkloadSpec.builder().setChurnBytesPerSecond(16 * 1024).setIoSizeBytes(65536)
                .addBurst(backup).build();
        TestClock clock = new TestClock(ZonedDateTime.of(2026, 1, 3, 12, 0, 0, 0, PARIS).toInstant()); // Saturday
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB, Fidelity.MODEL)) {
            Workload w = new Workload(host.createVm("vm1", "C").addDisk("disk0", 32 * MIB), spec,
                    new SplittableRandom(5), 5, clock, PARIS);
            List<Long> perHalfHour = new ArrayList<>();
            for (int i = 0; i < 2 * 48; i++) { // Saturday noon to Monday noon
                clock.advance(Duration.ofMinutes(30));
                perHalfHour.add(w.advance(1800 * SECOND));
            }
            long base = 16 * 1024 * 1800;
            long withBurst = (16 * 1024 + MIB) * 1800;
            for (int i = 0; i < perHalfHour.size(); i++) {
                // Index 0 covers 12:00-12:30 Saturday; Sunday 23:30 is index 71, Monday 01:30 index 75.
                boolean open = i >= 71 && i < 75;
                assertEquals(open ? withBurst : base, perHalfHour.get(i), 65536, "half hour " + i);
            }
            assertEquals(16 * 1024 + MIB, w.bytesPerSecondAt(ZonedDateTime.of(2026, 1, 5, 0, 15, 0, 0, PARIS).toInstant()),
                    "the window crossing midnight belongs to Sunday");
            assertEquals(16 * 1024, w.bytesPerSecondAt(ZonedDateTime.of(2026, 1, 6, 0, 15, 0, 0, PARIS).toInstant()),
                    "not on Monday night");
        }
    }

    @Test
    void theDayClocksGoForwardHasNoSecondHour() throws IOException {
        double[] pattern = hours(1, 1);
        pattern[2] = 100; // 02:00-03:00 local never happens on 2026-03-29 in Paris
        WorkloadSpec spec = WorkloadSpec.builder().setChurnBytesPerSecond(4096).setIoSizeBytes(4096)
                .setHourlyMultipliers(pattern).build();
        TestClock clock = new TestClock(ZonedDateTime.of(2026, 3, 29, 0, 0, 0, 0, PARIS).toInstant());
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB, Fidelity.MODEL)) {
            Workload w = new Workload(host.createVm("vm1", "C").addDisk("disk0", 8 * MIB), spec,
                    new SplittableRandom(6), 6, clock, PARIS);
            clock.advance(Duration.ofHours(23)); // a whole local day: it has 23 hours
            assertEquals(23 * 3600 * 4096, w.advance(23 * 3600 * SECOND));
        }
    }

    @Test
    void ioSizesAreDrawnByWeightAndTheRateStaysExact() throws IOException {
        WorkloadSpec spec = WorkloadSpec.builder().setChurnBytesPerSecond(3 * MIB)
                .setIoSizes(new IoSize(4096, 6), new IoSize(65536, 3), new IoSize((int) MIB, 1)).build();
        List<LoggedWrite> writes = writes(spec, 7, 200);
        long small = writes.stream().filter(x -> x.length() == 4096).count();
        long large = writes.stream().filter(x -> x.length() == MIB).count();
        assertEquals(0.6, (double) small / writes.size(), 0.03);
        assertEquals(0.1, (double) large / writes.size(), 0.02);
        long bytes = writes.stream().mapToLong(LoggedWrite::length).sum();
        assertTrue(bytes <= 600 * MIB && bytes > 600 * MIB - MIB, "200 s at 3 MiB/s: " + bytes);
        assertEquals((int) MIB, spec.ioSizeBytes(), "the largest size");
    }

    @Test
    void specsValidateTheNewSettings() {
        WorkloadSpec.Builder b = WorkloadSpec.builder();
        assertThrows(IllegalArgumentException.class, () -> b.setHourlyMultipliers(1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> b.setZipf(0, MIB));
        assertThrows(IllegalArgumentException.class, () -> b.setZipf(1, 4096));
        assertThrows(IllegalArgumentException.class, () -> new IoSize(1000, 1));
        assertThrows(IllegalArgumentException.class, () -> Burst.daily("x", LocalTime.NOON, Duration.ofHours(24), 1));
        WorkloadSpec spec = b.setChurnBytesPerSecond(MIB).setZipf(1.5, MIB).setHourlyMultipliers(hours(1, 2))
                .addBurst(Burst.daily("b", LocalTime.MIDNIGHT, Duration.ofHours(1), MIB)).build();
        assertEquals(spec, spec.toBuilder().build());
        assertEquals(WorkloadSpec.Locality.ZIPF, spec.locality());
        try (HyperVHost host = Fixtures.host(new TestClock(), 64 * MIB, Fidelity.MODEL)) {
            VirtualDisk disk = host.createVm("vm1", "C").addDisk("disk0", 8 * MIB);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Workload(disk, spec, new SplittableRandom(1), 1));
            assertTrue(e.getMessage().contains("needs a clock and a zone"), e.getMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The writes a replicating model-fidelity VM logs over {@code seconds} of the spec, from Monday 08:00 Paris. */
    private static List<LoggedWrite> writes(WorkloadSpec spec, long seed, int seconds) throws IOException {
        TestClock clock = new TestClock(ZonedDateTime.of(2026, 1, 5, 8, 0, 0, 0, PARIS).toInstant());
        try (HyperVHost host = Fixtures.host(clock, 4096 * MIB, Fidelity.MODEL)) {
            VirtualMachine vm = Fixtures.replicatingVm(host, 64 * MIB);
            Workload w = new Workload(vm.disks().get(0), spec, new SplittableRandom(seed), seed, clock, PARIS);
            for (int s = 0; s < seconds; s++) {
                clock.advance(Duration.ofSeconds(1));
                w.advance(SECOND);
            }
            return vm.replicationTracker().switchLog(vm.disks().get(0)).writes();
        }
    }

    /** 24 multipliers: {@code night} from 0:00 to 8:00 and after 18:00, {@code day} in between. */
    private static double[] hours(double night, double day) {
        double[] m = new double[24];
        for (int h = 0; h < 24; h++) {
            m[h] = h >= 8 && h < 18 ? day : night;
        }
        return m;
    }
}
