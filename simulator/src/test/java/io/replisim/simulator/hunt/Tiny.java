package io.replisim.simulator.hunt;

import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.nio.file.Path;

/** Small scenarios for tests (the hunt's, the sweep's): 16 MiB disks; {@code %s} is the duration. */
public final class Tiny {
    private Tiny() {}

    public static final String ONE_VM = """
            name: tiny
            seed: 1
            start: 2026-01-05T08:00:00+01:00
            duration: %s
            policy: { copyFrequency: 5m }
            site:
              uplink: { bandwidth: 20Mbps }
              hosts:
                - name: hv01
                  volume: 1GiB
                  vms:
                    - name: app01
                      disks: [ { name: os, size: 16MiB, churn: { rate: 256KiB/min } } ]
            """;

    public static final String TWO_VMS = ONE_VM + """
                    - name: app02
                      disks: [ { name: os, size: 16MiB, churn: { rate: 128KiB/min } } ]
            """;

    static Scenario parse(String yaml) {
        try {
            return new ScenarioLoader().parse(Path.of("tiny.yaml"), yaml);
        } catch (ScenarioException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static Scenario oneVm(String duration) {
        return parse(ONE_VM.formatted(duration));
    }

    static Scenario twoVms(String duration, String faultsAndActions) {
        return parse(TWO_VMS.formatted(duration) + faultsAndActions);
    }
}
