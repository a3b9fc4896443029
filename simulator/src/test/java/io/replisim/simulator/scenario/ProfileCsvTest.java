package io.replisim.simulator.scenario;

import io.replisim.simulator.net.LinkCapacity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCsvTest {
    private static final OffsetDateTime START = OffsetDateTime.parse("2026-01-05T08:00:00+01:00");
    private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

    @TempDir
    Path dir;

    private Path csv(String text) throws Exception {
        Path file = dir.resolve("profile.csv");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void offsetsAndDateTimesBothReadAsOffsetsFromTheStart() throws Exception {
        List<LinkCapacity.Sample> samples = ProfileCsv.read(csv("""
                time,bandwidth
                0s,50Mbps
                15s,48.5Mbps
                # a comment
                2026-01-05T09:00:00+01:00,12Mbps
                """), START, ZONE);
        assertEquals(List.of(new LinkCapacity.Sample(0, 50_000_000), new LinkCapacity.Sample(15_000_000_000L, 48_500_000),
                new LinkCapacity.Sample(3_600_000_000_000L, 12_000_000)), samples);
    }

    @Test
    void dateTimesAreReadAsProfilersExportThemWithoutAnOffsetInTheScenariosZone() throws Exception {
        List<LinkCapacity.Sample> samples = ProfileCsv.read(csv("""
                Time,Mbps
                2026-01-05 08:00,10
                2026-01-05T09:30:00,20
                2026-01-05 10:00:00Z,30
                2026-01-05T12:00:00.5+01:00,40
                2026-07-06 08:00,50
                """), START, ZONE);
        long h = 3_600_000_000_000L;
        assertEquals(List.of(0L, 3 * h / 2, 3 * h, 4 * h + 500_000_000L, (182L * 24 - 1) * h),
                samples.stream().map(LinkCapacity.Sample::offsetNanos).toList(), "local times in Europe/Amsterdam, summer time too");
        Path before = csv("time,mbps\n2026-01-05 07:59,10\n");
        ScenarioException e = assertThrows(ScenarioException.class, () -> ProfileCsv.read(before, START, ZONE));
        assertTrue(e.getMessage().contains(":2:1: field 'time': '2026-01-05 07:59' is before the scenario's start"), e.getMessage());
        Path nonsense = csv("time,mbps\n2026-13-05 09:00,10\n");
        e = assertThrows(ScenarioException.class, () -> ProfileCsv.read(nonsense, START, ZONE));
        assertTrue(e.getMessage().contains("is not an offset such as 15s or 2h, nor a date-time"), e.getMessage());
    }

    @Test
    void anMbpsHeaderTakesPlainNumbers() throws Exception {
        assertEquals(List.of(new LinkCapacity.Sample(0, 1_500_000)), ProfileCsv.read(csv("time,mbps\n0s,1.5\n"), START, ZONE));
    }

    @Test
    void mistakesNameTheFileLineAndField() throws Exception {
        Path file = csv("time,bandwidth\n0s,50Mbps\n15s,lots\n");
        ScenarioException e = assertThrows(ScenarioException.class, () -> ProfileCsv.read(file, START, ZONE));
        assertEquals(file + ":3:5: field 'bandwidth': 'lots' is not a bandwidth such as 50Mbps", e.errors().get(0).format());
        Path backwards = csv("time,bandwidth\n1m,50Mbps\n30s,40Mbps\n");
        e = assertThrows(ScenarioException.class, () -> ProfileCsv.read(backwards, START, ZONE));
        assertTrue(e.getMessage().contains(":3:1: field 'time': '30s' is not after the previous row's time"), e.getMessage());
        Path header = csv("when,how\n");
        e = assertThrows(ScenarioException.class, () -> ProfileCsv.read(header, START, ZONE));
        assertTrue(e.getMessage().contains(":1:1: expected the header 'time,bandwidth'"), e.getMessage());
        Path columns = csv("time,bandwidth\n0s\n");
        e = assertThrows(ScenarioException.class, () -> ProfileCsv.read(columns, START, ZONE));
        assertTrue(e.getMessage().contains(":2:1: expected 2 fields"), e.getMessage());
    }

    @Test
    void aScenarioLoadsItsProfileRelativeToItself() throws Exception {
        Files.writeString(dir.resolve("link.csv"), "time,bandwidth\n0s,10Mbps\n1h,2Mbps\n");
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, ScenarioLoaderTest.VALID.replace("uplink: { bandwidth: 50Mbps }", "uplink: { profile: link.csv }"));
        Scenario s = new ScenarioLoader().load(scenario);
        assertEquals(2, s.site().uplink().samples().size());
        Files.writeString(dir.resolve("link.csv"), "time,bandwidth\n0s,10Mbps\n1h,2 Mbps please\n");
        ScenarioException e = assertThrows(ScenarioException.class, () -> new ScenarioLoader().load(scenario));
        assertTrue(e.getMessage().contains("link.csv:3:4: field 'bandwidth'"), e.getMessage());
    }
}
