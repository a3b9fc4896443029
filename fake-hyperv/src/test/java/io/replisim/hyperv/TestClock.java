package io.replisim.hyperv;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand. */
final class TestClock implements InstantSource {

    static final Instant START = Instant.parse("2026-01-05T07:00:00Z");

    private Instant now;

    TestClock() {
        this(START);
    }

    TestClock(Instant start) {
        now = start;
    }

    @Override
    public Instant instant() {
        return now;
    }

    void advance(Duration d) {
        now = now.plus(d);
    }
}
