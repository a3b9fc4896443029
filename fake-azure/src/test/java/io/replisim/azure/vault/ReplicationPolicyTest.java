package io.replisim.azure.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicationPolicyTest {

    private static ReplicationPolicy policy(String copy, String retention, String appConsistent) {
        return ReplicationPolicy.builder().copyFrequency(Duration.parse(copy))
                .recoveryPointRetention(Duration.parse(retention)).appConsistentFrequency(Duration.parse(appConsistent))
                .build();
    }

    @ParameterizedTest(name = "copy {0}, retention {1}, app-consistent {2} is valid")
    @CsvSource({
        "PT30S, PT0H,  PT0H",
        "PT5M,  PT2H,  PT1H",
        "PT15M, PT24H, PT12H",
        "PT5M,  PT24H, PT0H",
        "PT30S, PT4H,  PT4H",
        "PT15M, PT1H,  PT1H",
    })
    void valuesInsideAsrsRangesAreAccepted(String copy, String retention, String appConsistent) {
        ReplicationPolicy p = policy(copy, retention, appConsistent);
        assertEquals(Duration.parse(copy), p.copyFrequency());
        assertEquals(Duration.parse(retention), p.recoveryPointRetention());
        assertEquals(Duration.parse(appConsistent), p.appConsistentFrequency());
    }

    @ParameterizedTest(name = "copy {0}, retention {1}, app-consistent {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        "PT10M | PT2H    | PT1H   | copyFrequency PT10M is not one of 30s, 5m, 15m",
        "PT1M  | PT2H    | PT1H   | copyFrequency PT1M is not one of 30s, 5m, 15m",
        "PT0S  | PT2H    | PT1H   | copyFrequency PT0S is not one of 30s, 5m, 15m",
        "PT30M | PT2H    | PT1H   | copyFrequency PT30M is not one of 30s, 5m, 15m",
        "PT5M  | PT25H   | PT1H   | recoveryPointRetention PT25H is not a whole number of hours in 0h-24h",
        "PT5M  | PT-1H   | PT0H   | recoveryPointRetention PT-1H is not a whole number of hours in 0h-24h",
        "PT5M  | PT1H30M | PT1H   | recoveryPointRetention PT1H30M is not a whole number of hours in 0h-24h",
        "PT5M  | PT24H1S | PT1H   | recoveryPointRetention PT24H1S is not a whole number of hours in 0h-24h",
        "PT5M  | PT24H   | PT13H  | appConsistentFrequency PT13H is not a whole number of hours in 0h (off)-12h",
        "PT5M  | PT24H   | PT-1H  | appConsistentFrequency PT-1H is not a whole number of hours in 0h (off)-12h",
        "PT5M  | PT24H   | PT30M  | appConsistentFrequency PT30M is not a whole number of hours in 0h (off)-12h",
        "PT5M  | PT2H    | PT4H   | appConsistentFrequency PT4H exceeds recoveryPointRetention PT2H",
        "PT5M  | PT0H    | PT1H   | appConsistentFrequency PT1H exceeds recoveryPointRetention PT0S",
    })
    void valuesOutsideAsrsRangesAreRejectedNamingFieldValueAndRange(String copy, String retention,
            String appConsistent, String message) {
        PolicyValidationException e =
                assertThrows(PolicyValidationException.class, () -> policy(copy, retention, appConsistent));
        assertEquals(message, e.getMessage());
        assertEquals(message.substring(0, message.indexOf(' ')), e.field());
    }

    @Test
    void defaultsAreFiveMinutesTwoHoursOneHourAndImmediately() {
        ReplicationPolicy p = ReplicationPolicy.defaults();
        assertEquals(Duration.ofMinutes(5), p.copyFrequency());
        assertEquals(Duration.ofHours(2), p.recoveryPointRetention());
        assertEquals(Duration.ofHours(1), p.appConsistentFrequency());
        assertEquals(InitialReplicationStart.immediately(), p.initialReplicationStart());
    }

    @Test
    void missingValuesAreNamed() {
        PolicyValidationException e = assertThrows(PolicyValidationException.class,
                () -> ReplicationPolicy.builder().initialReplicationStart(null).build());
        assertEquals("initialReplicationStart is required", e.getMessage());
    }

    @Test
    void aScheduledInitialReplicationStartsAtItsTimeOrRightAwayIfThatHasPassed() {
        Instant at = Instant.parse("2026-01-05T22:00:00Z");
        ReplicationPolicy p = ReplicationPolicy.defaults().toBuilder()
                .initialReplicationStart(InitialReplicationStart.at(at)).build();
        assertEquals(at, p.initialReplicationStart().startTime(Instant.parse("2026-01-05T08:00:00Z")));
        Instant late = Instant.parse("2026-01-06T01:00:00Z");
        assertEquals(late, p.initialReplicationStart().startTime(late));
        assertEquals(late, InitialReplicationStart.immediately().startTime(late));
    }
}
