package io.replisim.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.replisim.hyperv.WorkloadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading a recorded churn profile: its headers, times and rates, the week shift and loop, and located mistakes. */
class ChurnCsvTest {
    private static final OffsetDateTime START = OffsetDateTime.parse("2026-01-05T08:00:00+01:00"); // a Monday
    private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    private static final long MINUTE = 60_000_000_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final Path SHOWN = Path.of("profiles/sql01-data.csv");

    @TempDir
    Path dir;

    private ChurnCsv.Series read(String text) throws Exception {
        Path file = dir.resolve("churn.csv");
        Files.writeString(file, text);
        return ChurnCsv.read(file, SHOWN, START, ZONE);
    }

    private String error(String text) throws Exception {
        Path file = dir.resolve("churn.csv");
        Files.writeString(file, text);
        ScenarioException e = assertThrows(ScenarioException.class, () -> ChurnCsv.read(file, SHOWN, START, ZONE));
        assertEquals(1, e.errors().size());
        return e.errors().get(0).format();
    }

    private static ChurnCsv.Series series(long period, long... offsetsAndRates) {
        List<ChurnCsv.Sample> samples = new java.util.ArrayList<>();
        for (int i = 0; i < offsetsAndRates.length; i += 2) {
            samples.add(new ChurnCsv.Sample(offsetsAndRates[i], offsetsAndRates[i + 1]));
        }
        return new ChurnCsv.Series(samples, period);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"time,MBps", "timestamp,MB/s", "Time , Churn", "TIMESTAMP,mbps", " time,churn "})
    void everyHeaderOfPlainMegabytesASecondIsAccepted(String header) throws Exception {
        assertEquals(series(45 * MINUTE, 0, 1_500_000, 15 * MINUTE, 0, 30 * MINUTE, 250_001),
                read(header + "\n0s,1.5\n15m,0\n30m,0.2500005\n"), "MB/s are 10^6 bytes a second, rounded to a byte");
    }

    @Test
    void aRateHeaderTakesUnits() throws Exception {
        assertEquals(series(2 * HOUR, 0, 2_000_000, HOUR, 512 * 1024), read("time,rate\n0s,2MB/s\n1h,512KiB/s\n"));
        assertEquals(series(HOUR, 0, 1024), read("Time,Rate\n0s,3600KiB/h\n"), "one row holds for an hour");
    }

    @Test
    void commentsBlankLinesSpacesAndAByteOrderMarkAreIgnored() throws Exception {
        assertEquals(series(20 * MINUTE, 5 * MINUTE, 1_000_000, 15 * MINUTE, 3_000_000),
                read("\uFEFF# exported by a profiler\n\ntime,MBps\n# from 08:05\n 5m , 1 \n\n15m,3\n# the end\n"));
    }

    @Test
    void dateTimesAreMovedByWholeWeeksSoTheFirstFallsInTheWeekUpToTheStart() throws Exception {
        // recorded on Monday 2025-11-03 from 09:00 (+01:00): nine weeks later it is 2026-01-05 09:00, an hour after the
        // start, so it replays from Monday 2025-12-29 09:00, 7 days less an hour before the start
        ChurnCsv.Series s = read("""
                timestamp,MBps
                2025-11-03 09:00,1
                2025-11-03T09:15:00+01:00,2
                2025-11-03T08:30:00Z,3
                2025-11-03 09:45:30,4
                """);
        long first = -7 * DAY + HOUR;
        assertEquals(series(61 * MINUTE, first, 1_000_000, first + 15 * MINUTE, 2_000_000,
                first + 30 * MINUTE, 3_000_000, first + 45 * MINUTE + 30_000_000_000L, 4_000_000), s);
        assertEquals(0, read("time,MBps\n2026-01-05 08:00,1\n").samples().get(0).offsetNanos(), "at the start: not moved");
        assertEquals(-7 * DAY + 1, read("time,MBps\n2026-02-02T07:00:00.000000001Z,1\n").samples().get(0).offsetNanos(),
                "a later recording moves back");
        assertEquals(0, read("time,MBps\n2025-12-29 08:00,1\n").samples().get(0).offsetNanos(), "a week before: the start");
        assertEquals(-2 * HOUR, read("time,MBps\n2026-07-06 07:00,1\n").samples().get(0).offsetNanos(),
                "07:00 in summer time (+02:00) is 06:00 at +01:00: weeks of 7 x 24 hours keep the instant's time of day");
    }

    @Test
    void theSeriesRunsOnTheWorkloadsClockFromTheStart() {
        WorkloadSpec.RateSeries r = series(HOUR, -MINUTE, 5, MINUTE, 7).rateSeries(START);
        long start = START.toEpochSecond() * 1_000_000_000L;
        assertEquals(start - MINUTE, r.epochNanos(0));
        assertEquals(start + MINUTE, r.epochNanos(1));
        assertEquals(7, r.bytesPerSecond(1));
        assertEquals(HOUR, r.periodNanos());
    }

    @Test
    void mistakesNameTheFileLineColumnAndField() throws Exception {
        assertEquals(SHOWN + ":1:1: expected a header 'time,MBps': the time (time or timestamp), then the churn in MB/s"
                + " (MBps, MB/s or churn) or with units (rate), found 'when,MBps'", error("when,MBps\n0s,1\n"));
        assertEquals(SHOWN + ":2:6: unknown column 'Mbps?'; expected MBps, MB/s or churn (plain numbers of MB/s) or rate"
                + " (with units)", error("# x\ntime,Mbps?\n0s,1\n"));
        assertEquals(SHOWN + ":3:1: field 'time': '30s' is not after the previous row's time", error("time,MBps\n1m,1\n30s,2\n"));
        assertEquals(SHOWN + ":3:1: field 'Timestamp': '2025-11-03 09:00' is not after the previous row's time",
                error("Timestamp,MBps\n2025-11-03 09:00,1\n2025-11-03 09:00,2\n"));
        assertEquals(SHOWN + ":3:5: field 'MBps': '-0.5' is negative: expected 0 or more", error("time,MBps\n0s,1\n15m,-0.5\n"));
        assertEquals(SHOWN + ":2:4: field 'MBps': 'lots' is not a number of MB/s (10^6 bytes a second) such as 2.5",
                error("time,MBps\n0s,lots\n"));
        assertEquals(SHOWN + ":2:4: field 'rate': '2MB' is not a data rate such as 512KiB/s, 2MiB/min or 20GiB/h",
                error("time,rate\n0s,2MB\n"));
        assertEquals(SHOWN + ":2:4: field 'MBps': '2000' is above the highest churn, 1GiB/s", error("time,MBps\n0s,2000\n"));
        assertEquals(SHOWN + ":2:1: field 'time': 'soon' is not an offset such as 15s or 2h, nor a date-time such as"
                + " 2026-01-05T09:00:00+01:00 or 2026-01-05 09:00 (in the scenario's time zone)", error("time,MBps\nsoon,1\n"));
        assertEquals(SHOWN + ":3:1: field 'time': '2026-01-05 09:00' is a date-time, but the first row's time is an offset:"
                + " give every time the same way", error("time,MBps\n0s,1\n2026-01-05 09:00,2\n"));
        assertEquals(SHOWN + ":2:1: expected 2 fields (time,MBps), found 3", error("time,MBps\n0s,1,2\n"));
        assertEquals(SHOWN + ":2:1: no rows: expected at least one 'time,MBps' row", error("time,MBps\n# none\n"));
        assertEquals(SHOWN + ":1:1: the file is empty: expected a header 'time,MBps': the time (time or timestamp), then the"
                + " churn in MB/s (MBps, MB/s or churn) or with units (rate), and rows", error("\n# nothing\n"));
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> ChurnCsv.read(dir.resolve("missing.csv"), SHOWN, START, ZONE));
        assertEquals(SHOWN + ": file not found", e.errors().get(0).format());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "2026-01-05 08:00"})
    void aRowOfZeroIsAQuietDisk(String time) throws Exception {
        assertEquals(0, read("time,MBps\n" + time + ",0\n").samples().get(0).bytesPerSecond());
    }
}
