package io.replisim.simulator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.replisim.simulator.kernel.Kernel;
import io.replisim.simulator.kernel.SimTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UplinkTest {
    private final Kernel kernel = new Kernel(Instant.parse("2026-01-05T07:00:00Z"), ZoneOffset.UTC, 1);

    @Test
    void aLoneFlowGetsTheWholeLinkAndFinishesExactlyOnTime() {
        Uplink link = new Uplink(kernel, "wan", 8_000_000); // 1 MB/s
        long[] done = {-1};
        link.start("a", 5_000_000, 0, f -> done[0] = kernel.now(), r -> {});
        kernel.runUntilIdle();
        assertEquals(SimTime.seconds(5), done[0]);
        assertEquals(5_000_000, link.bytesDelivered());
    }

    @Test
    void twoFlowsShareFairlyAndTheSurvivorSpeedsUp() {
        Uplink link = new Uplink(kernel, "wan", 8_000_000);
        long[] doneA = {-1};
        long[] doneB = {-1};
        link.start("a", 1_000_000, 0, f -> doneA[0] = kernel.now(), r -> {});
        link.start("b", 3_000_000, 0, f -> doneB[0] = kernel.now(), r -> {});
        // both at 0.5 MB/s until a finishes at 2 s, then b alone at 1 MB/s for its last 2 MB
        kernel.runUntilIdle();
        assertEquals(SimTime.seconds(2), doneA[0]);
        assertEquals(SimTime.seconds(4), doneB[0]);
    }

    @Test
    void aCappedFlowLeavesItsUnusedShareToTheOthers() {
        Uplink link = new Uplink(kernel, "wan", 9_000_000);
        Uplink.Flow capped = link.start("capped", 10_000_000, 1_000_000, f -> {}, r -> {});
        Uplink.Flow open1 = link.start("open1", 10_000_000, 0, f -> {}, r -> {});
        Uplink.Flow open2 = link.start("open2", 10_000_000, 0, f -> {}, r -> {});
        assertEquals(1_000_000, capped.rate());
        assertEquals(4_000_000, open1.rate());
        assertEquals(4_000_000, open2.rate());
    }

    @Test
    void aCapacityChangeTakesEffectFromThatMoment() {
        Uplink link = new Uplink(kernel, "wan", 8_000_000);
        long[] done = {-1};
        link.start("a", 2_000_000, 0, f -> done[0] = kernel.now(), r -> {});
        kernel.runUntil(SimTime.seconds(1)); // 1 MB sent
        link.setCapacity(0);                 // outage: nothing moves
        kernel.runUntil(SimTime.seconds(10));
        assertEquals(-1, done[0]);
        link.setCapacity(16_000_000);        // the last 1 MB at 2 MB/s
        kernel.runUntilIdle();
        assertEquals(SimTime.seconds(10) + SimTime.seconds(1) / 2, done[0]);
    }

    @Test
    void everyByteOfEveryFlowArrivesAndNoFlowBeatsTheLinkCapacity() {
        qt().withExamples(200).forAll(lists().of(integers().between(1, 5_000_000)).ofSizeBetween(1, 12))
                .checkAssert(sizes -> {
                    Kernel k = new Kernel(Instant.EPOCH, ZoneOffset.UTC, 3);
                    Uplink link = new Uplink(k, "wan", 10_000_000);
                    List<Long> finished = new ArrayList<>();
                    long total = 0;
                    for (int i = 0; i < sizes.size(); i++) {
                        long bytes = sizes.get(i);
                        total += bytes;
                        long startAt = SimTime.seconds(i); // flows join one second apart
                        k.schedule(startAt, () -> link.start("f", bytes, 0, f -> finished.add(k.now()), r -> {}));
                    }
                    k.runUntilIdle();
                    assertEquals(sizes.size(), finished.size());
                    assertEquals(total, link.bytesDelivered());
                    // the link never carries more than its capacity: the last byte cannot come earlier
                    long floor = Uplink.mulDiv(total * 8, SimTime.NANOS_PER_SECOND, 10_000_000, false);
                    assertTrue(k.now() >= floor, "finished at " + k.now() + " before the physical limit " + floor);
                });
    }

    @Test
    void anOutageFailsTransfersInFlightAndRefusesNewOnesUntilRestored() {
        Uplink link = new Uplink(kernel, "wan", 8_000_000);
        List<String> failures = new ArrayList<>();
        long[] done = {-1};
        link.start("a", 10_000_000, 0, f -> done[0] = kernel.now(), failures::add);
        kernel.runUntil(SimTime.seconds(3));
        link.fail("down");
        assertEquals(List.of("down"), failures);
        link.start("b", 1_000, 0, f -> done[0] = kernel.now(), failures::add);
        assertEquals(1, failures.size(), "a refused transfer fails as its own event, not inside start()");
        kernel.runUntil(SimTime.seconds(4));
        assertEquals(List.of("down", "down"), failures);
        link.restore();
        link.start("c", 1_000_000, 0, f -> done[0] = kernel.now(), failures::add);
        kernel.runUntilIdle();
        assertEquals(SimTime.seconds(5), done[0]);
        assertEquals(3_000_000 + 1_000_000, link.bytesDelivered());
    }

    @Test
    void mulDivIsExactBeyondSixtyFourBits() {
        assertEquals(7, Uplink.mulDiv(7, 3, 3, false));
        assertEquals(3, Uplink.mulDiv(5, 1, 2, true));
        long big = Uplink.mulDiv(9_000_000_000_000_000L, 1_000_000_000L, 3_000_000_000L, false);
        assertEquals(3_000_000_000_000_000L, big);
    }

    @Test
    void mulDivAgreesWithBigIntegerEverywhere() {
        // magnitudes from bits to exabits, nanoseconds to years, rates from bits to terabits a second
        org.quicktheories.core.Gen<Long> any = org.quicktheories.generators.SourceDSL.integers().between(0, 62)
                .zip(org.quicktheories.generators.SourceDSL.longs().between(0, Long.MAX_VALUE), (bits, v) -> bits == 62 ? v : v >>> (62 - bits));
        org.quicktheories.QuickTheory.qt().withExamples(20_000).forAll(any, any, any, org.quicktheories.generators.SourceDSL.booleans().all())
                .assuming((a, b, c, ceil) -> c > 0)
                .check((a, b, c, ceil) -> {
                    java.math.BigInteger[] qr = java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b))
                            .divideAndRemainder(java.math.BigInteger.valueOf(c));
                    java.math.BigInteger exact = ceil && qr[1].signum() > 0 ? qr[0].add(java.math.BigInteger.ONE) : qr[0];
                    long got = Uplink.mulDiv(a, b, c, ceil);
                    // exact below 2^62; beyond, "never" (at least Long.MAX_VALUE / 2)
                    return exact.bitLength() < 63 ? got == exact.longValue() : got >= Long.MAX_VALUE / 2;
                });
        assertEquals(Uplink.bigMulDiv(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, true), Uplink.mulDiv(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, true));
        assertEquals(Uplink.bigMulDiv(1L << 40, 1L << 40, 3, true), Uplink.mulDiv(1L << 40, 1L << 40, 3, true));
    }
    @Test
    void theRemainderOfAnUnevenSplitGoesToTheLatestFlows() {
        // 10 bps over three flows: 3, 3 and 4, the extra bit to the flow started last, whatever the path
        Uplink link = new Uplink(kernel, "wan", 10);
        List<Uplink.Flow> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(link.start("f" + i, 1_000, 0, f -> {}, r -> {}));
        }
        assertEquals(List.of(3L, 3L, 4L), open.stream().map(Uplink.Flow::rate).toList());
        Uplink.Flow capped = link.start("capped", 1_000, 1, f -> {}, r -> {});
        assertEquals(1, capped.rate());
        assertEquals(List.of(3L, 3L, 3L), open.stream().map(Uplink.Flow::rate).toList());
    }

    @Test
    void waterFillingServesTheTightestCapFirstWhateverTheStartOrder() {
        Uplink link = new Uplink(kernel, "wan", 9_000_000);
        Uplink.Flow open = link.start("open", 10_000_000, 0, f -> {}, r -> {});
        Uplink.Flow loose = link.start("loose", 10_000_000, 3_000_000, f -> {}, r -> {});
        Uplink.Flow tight = link.start("tight", 10_000_000, 1_000_000, f -> {}, r -> {});
        // tight takes 1 of its fair 3; loose its cap 3 of the fair 4 left; open the remaining 5
        assertEquals(1_000_000, tight.rate());
        assertEquals(3_000_000, loose.rate());
        assertEquals(5_000_000, open.rate());
    }

    @Test
    void aCancelledTransferStopsAndItsShareGoesToTheOthersAtOnce() {
        Uplink link = new Uplink(kernel, "wan", 8_000_000);
        long[] charged = {0};
        long[] done = {-1};
        boolean[] cancelledFinished = {false};
        link.start("a", 1_000_000, 0, f -> done[0] = kernel.now(), r -> {});
        Uplink.Flow b = link.start("b", 1_000_000, 0, (from, to, bits) -> charged[0] += bits,
                f -> cancelledFinished[0] = true, r -> {});
        kernel.runUntil(SimTime.seconds(1)); // each half done at 0.5 MB/s
        b.cancel();
        assertEquals(0, b.rate());
        assertEquals(1, link.activeFlows());
        kernel.runUntilIdle();
        assertEquals(SimTime.seconds(1) + SimTime.seconds(1) / 2, done[0], "a's last half at the whole 1 MB/s");
        assertEquals(false, cancelledFinished[0]);
        assertEquals(500_000 * 8, charged[0], "what b carried before the cancel is charged to it");
        assertEquals(1_500_000, link.bytesDelivered(), "the link carried b's half too");
    }

    @Test
    void eachRequestWaitsItsLatencyBeforeItsDataFlows() {
        Uplink link = new Uplink(kernel, "wan", 8_000_000, 50_000_000L);
        long[] done = {-1};
        kernel.runUntil(SimTime.seconds(1));
        Uplink.Flow f = link.start("a", 1_000_000, 0, x -> done[0] = kernel.now(), r -> {});
        assertEquals(0, f.rate(), "not yet flowing");
        kernel.runUntilIdle();
        assertEquals(2_050_000_000L, done[0]);
        assertEquals(List.of("a", 1_000_000L, 1_000_000_000L, 2_050_000_000L), List.of(f.label(), f.bytes(), f.startedAt(), f.finishedAt()),
                "started when requested, finished when the last bit arrived");
    }

    @Test
    void aLinkWithoutCapacityCarriesNothingUntilItGetsSome() {
        Uplink link = new Uplink(kernel, "wan", 0);
        long[] done = {-1};
        link.start("empty", 0, 0, f -> done[0] = kernel.now(), r -> {});
        link.start("a", 1_000_000, 0, f -> done[0] = kernel.now(), r -> {});
        kernel.runUntil(SimTime.seconds(5));
        assertEquals(0, done[0], "an empty transfer needs no capacity");
        link.setCapacity(8_000_000);
        assertEquals(8_000_000, link.capacity());
        kernel.runUntilIdle();
        assertEquals(SimTime.seconds(6), done[0]);
    }

    @Test
    void theMeterSeesWhatTheLinkCouldSendAsItChanges() {
        Uplink link = new Uplink(kernel, "wan", 8_000_000);
        List<String> seen = new ArrayList<>();
        kernel.runUntil(SimTime.seconds(1));
        link.meter((at, bps) -> seen.add(at / SimTime.seconds(1) + "s " + bps));
        kernel.schedule(SimTime.seconds(2), () -> link.setCapacity(4_000_000));
        kernel.schedule(SimTime.seconds(3), () -> link.fail("down"));
        kernel.schedule(SimTime.seconds(4), link::restore);
        kernel.runUntil(SimTime.seconds(3));
        assertEquals(false, link.isAvailable());
        kernel.runUntilIdle();
        assertTrue(link.isAvailable());
        assertEquals(List.of("1s 8000000", "2s 4000000", "3s 0", "4s 4000000"), seen);
    }

    @Test
    void mulDivSaysNeverFromTwoToTheSixtyTwoOn() {
        long never = Long.MAX_VALUE / 2;
        assertEquals(never, Uplink.mulDiv(1L << 62, 2, 2, false), "exactly 2^62");
        assertEquals((1L << 62) - 2, Uplink.mulDiv((1L << 62) - 2, 2, 2, false), "below it, exact");
        assertEquals(never, Uplink.mulDiv(1L << 62, 8, 2, false), "a quotient of 2^64: the high half equals the divisor");
        assertEquals(never, Uplink.mulDiv(Long.MAX_VALUE, Long.MAX_VALUE, 1, true));
    }

    @Test
    void mulDivIsExactOnOperandsMadeOfEdgeDigits() {
        // Knuth's division corrects its digit estimates in rare cases: digits of all ones, a lone top bit,
        // zero, make them common, where uniform random operands almost never reach them
        long[] digits = {0, 1, 2, 0x7FFF_FFFFL, 0x8000_0000L, 0x8000_0001L, 0xFFFF_FFFEL, 0xFFFF_FFFFL};
        SplittableRandom random = new SplittableRandom(14);
        int checked = 0;
        while (checked < 100_000) {
            long a = operand(digits, random) & Long.MAX_VALUE;
            long b = operand(digits, random) & Long.MAX_VALUE;
            long c = operand(digits, random) & Long.MAX_VALUE;
            long hi = Math.multiplyHigh(a, b);
            if (c == 0 || hi >= c || hi == 0 && a * b >= 0) {
                continue; // the 128-bit division only
            }
            boolean ceil = random.nextBoolean();
            assertEquals(Uplink.bigMulDiv(a, b, c, ceil), Uplink.mulDiv(a, b, c, ceil), a + " * " + b + " / " + c + " " + ceil);
            checked++;
        }
        // operands whose high and low quotient digits each need the estimate corrected twice (found by search)
        long[][] twice = {{9223372032559808512L, 9223372031462490510L, 4877127671768678399L},
            {4294967296L, 1798807915400725086L, 640349885480042495L}};
        for (long[] t : twice) {
            for (boolean ceil : new boolean[] {false, true}) {
                assertEquals(Uplink.bigMulDiv(t[0], t[1], t[2], ceil), Uplink.mulDiv(t[0], t[1], t[2], ceil));
            }
        }
    }

    private static long operand(long[] digits, SplittableRandom random) {
        long high = random.nextInt(4) == 0 ? random.nextInt() & 0xFFFF_FFFFL : digits[random.nextInt(digits.length)];
        long low = random.nextInt(4) == 0 ? random.nextInt() & 0xFFFF_FFFFL : digits[random.nextInt(digits.length)];
        return high << 32 | low;
    }
}
