package io.replisim.azure.vault;

import java.time.Instant;
import java.util.Objects;

/** When initial replication starts once protection is enabled: immediately, or at a scheduled time. */
public sealed interface InitialReplicationStart {

    /** Start as soon as protection is enabled (the default). */
    InitialReplicationStart IMMEDIATELY = new Immediately();

    static InitialReplicationStart immediately() {
        return IMMEDIATELY;
    }

    static InitialReplicationStart at(Instant time) {
        return new Scheduled(time);
    }

    /** When IR of a VM whose protection was enabled at {@code enabledAt} starts. */
    Instant startTime(Instant enabledAt);

    record Immediately() implements InitialReplicationStart {
        @Override
        public Instant startTime(Instant enabledAt) {
            return enabledAt;
        }

        @Override
        public String toString() {
            return "immediately";
        }
    }

    /** Start at {@code time}, or immediately if protection is enabled after it. */
    record Scheduled(Instant time) implements InitialReplicationStart {
        public Scheduled {
            Objects.requireNonNull(time, "time");
        }

        @Override
        public Instant startTime(Instant enabledAt) {
            return time.isAfter(enabledAt) ? time : enabledAt;
        }

        @Override
        public String toString() {
            return "at " + time;
        }
    }
}
