package io.replisim.simulator.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small plans and inventories for the tests. */
final class PlanFiles {
    private PlanFiles() {}

    /** A plan of one site named {@code site} at {@code bandwidth}, with {@code extra} YAML lines appended. */
    static Path plan(Path dir, String inventory, String bandwidth, String targetRpo, String horizon, int seeds, String extra)
            throws IOException {
        Files.writeString(dir.resolve("inventory.csv"), inventory);
        return Files.writeString(dir.resolve("plan.yaml"), String.join("\n",
                "name: analytic",
                "start: 2026-03-02T00:00:00+01:00",
                "timeZone: Europe/Paris",
                "horizon: " + horizon,
                "inventory: inventory.csv",
                "policy: { copyFrequency: 5m, retention: 2h, appConsistentEvery: 1h }",
                "targetRpo: " + targetRpo,
                "seeds: " + seeds,
                "sites:",
                "  - name: site1",
                "    uplink: { bandwidth: " + bandwidth + " }",
                extra, ""));
    }

    /** One VM with one disk of {@code sizeGiB}, {@code usedGiB} used, writing {@code mbps} MB/s all day. */
    static String oneVm(int sizeGiB, int usedGiB, double mbps) {
        return "vm,host,site,disk,provisioned,used,churn_avg,churn_peak\n"
                + "vm1,hv1,site1,data," + sizeGiB + "," + usedGiB + "," + mbps + "," + mbps + "\n";
    }
}
