package io.replisim.azure.storage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A set of byte ranges kept merged: start -> end (exclusive), no two ranges touching. */
final class PageRangeSet {
    private final TreeMap<Long, Long> ranges;

    PageRangeSet() {
        this.ranges = new TreeMap<>();
    }

    private PageRangeSet(TreeMap<Long, Long> ranges) {
        this.ranges = ranges;
    }

    PageRangeSet copy() {
        return new PageRangeSet(new TreeMap<>(ranges));
    }

    void add(long start, long end) {
        if (start >= end) {
            return;
        }
        long lo = start;
        long hi = end;
        Map.Entry<Long, Long> floor = ranges.floorEntry(start);
        if (floor != null && floor.getValue() >= start) {
            lo = floor.getKey();
            hi = Math.max(hi, floor.getValue());
        }
        // every range starting inside (or right at the end of) [lo, hi] merges into it
        Map<Long, Long> absorbed = ranges.subMap(lo, true, hi, true);
        for (long rangeEnd : absorbed.values()) {
            hi = Math.max(hi, rangeEnd);
        }
        absorbed.clear();
        ranges.put(lo, hi);
    }

    void remove(long start, long end) {
        if (start >= end) {
            return;
        }
        Map.Entry<Long, Long> before = ranges.lowerEntry(start);
        if (before != null && before.getValue() > start) {
            ranges.put(before.getKey(), start);
            if (before.getValue() > end) {
                ranges.put(end, before.getValue());
                return;
            }
        }
        Map<Long, Long> inside = ranges.subMap(start, true, end, false);
        long tailEnd = -1;
        for (long rangeEnd : inside.values()) {
            tailEnd = Math.max(tailEnd, rangeEnd);
        }
        inside.clear();
        if (tailEnd > end) {
            ranges.put(end, tailEnd);
        }
    }

    /** Whether any byte of [start, end) is in the set. */
    boolean intersects(long start, long end) {
        Map.Entry<Long, Long> floor = ranges.floorEntry(start);
        if (floor != null && floor.getValue() > start) {
            return true;
        }
        Long next = ranges.higherKey(start);
        return next != null && next < end;
    }

    List<PageRange> toPageRanges() {
        List<PageRange> result = new ArrayList<>(ranges.size());
        Iterator<Map.Entry<Long, Long>> it = ranges.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> e = it.next();
            result.add(new PageRange(e.getKey(), e.getValue() - 1));
        }
        return result;
    }
}
