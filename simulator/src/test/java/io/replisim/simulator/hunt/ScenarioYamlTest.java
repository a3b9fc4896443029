package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.replisim.simulator.scenario.DataRate;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.scenario.WeeklyHours;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Scenarios written back as YAML load as the same values. */
class ScenarioYamlTest {
    private static final Path LIBRARY = Path.of("../scenarios/library");

    @TestFactory
    Stream<DynamicTest> everyLibraryScenarioRoundTrips() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(LIBRARY)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ScenarioLoader loader = new ScenarioLoader();
            Scenario original = loader.load(file);
            String yaml = ScenarioYaml.write(original, List.of());
            Scenario back = loader.parse(file, yaml); // the same path: a CSV profile resolves alike
            assertEquals(original, back, yaml);
        }));
    }

    @Test
    void ratesAreWrittenInHumanUnitsThatReadBackExactly() {
        for (String text : new String[] {"1MiB/min", "512KiB/min", "256KiB/min", "2MiB/min", "20GiB/h", "1MiB/s", "100KiB/s"}) {
            DataRate rate = DataRate.parse(text);
            String written = ScenarioYaml.rate(rate);
            assertEquals(rate, DataRate.parse(written), text + " written as " + written);
            assertEquals(text, written);
        }
        assertEquals("25KiB/h", ScenarioYaml.rate(new DataRate(7)), "7 B/s: 25KiB/h reads back as 7 B/s");
        for (long bps = 0; bps < 5000; bps += 7) {
            assertEquals(bps, DataRate.parse(ScenarioYaml.rate(new DataRate(bps))).bytesPerSecond());
        }
    }

    @Test
    void weeklyHoursAreWrittenWithDayRanges() {
        assertEquals("Mon-Fri 09:00-18:00", ScenarioYaml.hours(WeeklyHours.parse("Mon-Fri 09:00-18:00")));
        assertEquals("Mon,Tue,Sat,Sun 22:00-06:00", ScenarioYaml.hours(WeeklyHours.parse("Sat,Sun,Mon,Tue 22:00-06:00")));
        assertEquals("Wed 00:00-24:00", ScenarioYaml.hours(WeeklyHours.parse("Wed 00:00-24:00")));
    }
}
