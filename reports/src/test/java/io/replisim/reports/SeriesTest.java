package io.replisim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeriesTest {
    @Test
    void aLongSeriesIsDecimatedToTheLimitAndKeepsItsExtremesAndEnds() {
        Series s = new Series(false);
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            s.add(i * 1_000_000_000L, (i * 7919L) % 1000 + (i == 54_321 ? 5000 : 0));
        }
        long end = (n - 1) * 1_000_000_000L;
        Series d = s.decimate(0, end, 2000);
        assertTrue(d.size() <= 2000, "size " + d.size());
        assertEquals(5999, d.max(), "the single spike survives");
        assertEquals(0, d.time(0));
        assertEquals(end, d.time(d.size() - 1));
        for (int i = 1; i < d.size(); i++) {
            assertTrue(d.time(i) >= d.time(i - 1), "time order");
        }
    }

    @Test
    void aShortSeriesIsLeftAlone() {
        Series s = new Series(true);
        s.add(0, 1);
        s.add(10, 2);
        assertSame(s, s.decimate(0, 10, 2000));
    }

    @Test
    void gapsSurviveDecimation() {
        Series s = new Series(false);
        for (int i = 0; i < 10_000; i++) {
            s.add(i, i % 10);
            if (i == 5000) {
                s.gap(i);
            }
        }
        Series d = s.decimate(0, 10_000, 400);
        boolean gap = false;
        for (int i = 0; i < d.size(); i++) {
            gap |= Double.isNaN(d.value(i));
        }
        assertTrue(gap);
    }
}
