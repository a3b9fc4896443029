package io.replisim.simulator.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.replisim.simulator.scenario.DataSize;
import io.replisim.simulator.scenario.Policy;
import io.replisim.simulator.scenario.Site;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * A capacity plan as written (docs/planner.md): an inventory of VMs and disks, each site's
 * uplink, the policy, the target RPO and the horizon; what {@code replisim plan} answers from
 * simulations. Absent optional fields are null; {@link PlanLoader} checks and defaults them.
 *
 * @param seeds      how many seeds every answer is simulated with (default 10): seeds 1 to n
 * @param outages    outage assumptions, e.g. a 4-hour network outage every week
 * @param churn      how an inventory's average and peak churn become a day's writes
 * @param search     how finely the bandwidth search brackets its answers
 */
public record Plan(String name, OffsetDateTime start, ZoneId timeZone, Duration horizon, String inventory, Policy policy,
                   Duration targetRpo, Integer seeds, List<PlanSite> sites, List<Outage> outages, ChurnShape churn,
                   Search search, InitialReplicationPlan initialReplication) {

    public static final int DEFAULT_SEEDS = 10;
    public static final double DEFAULT_PRECISION = 0.05;

    public Plan {
        sites = sites == null ? List.of() : List.copyOf(sites);
        outages = outages == null ? List.of() : List.copyOf(outages);
    }

    public int effectiveSeeds() {
        return seeds == null ? DEFAULT_SEEDS : seeds;
    }

    public ZoneId effectiveZone() {
        return timeZone != null ? timeZone : start.getOffset();
    }

    public ChurnShape effectiveChurn() {
        return churn == null ? ChurnShape.DEFAULT : churn.withDefaults();
    }

    /**
     * A site: its uplink as a scenario gives it (a constant {@code bandwidth}, a {@code profile}
     * CSV, a weekly {@code schedule}, the agent's {@code throttle}) and its hosts' volume and memory.
     */
    public record PlanSite(String name, Site.Uplink uplink, DataSize volume, DataSize memory) {}

    /**
     * A network outage of {@code for}, first {@code at} from the start and then {@code every}
     * (once without it), at the site named {@code site} or at every site.
     */
    public record Outage(@JsonProperty("for") Duration lasting, Duration at, Duration every, String site) {}

    /**
     * How a disk's average and peak churn become writes over a day: the peak rate for
     * {@code peakFor} from around {@code peakAt} (local time, every day: each disk's peak starts
     * somewhere within {@code peakSpread} centred on it, drawn from the seed, so peaks of
     * different VMs need not fall together), the rest of the day at the rate that keeps the
     * average, shaped by {@code hourly} (24 weights, flat by default); writes of {@code ioSize}.
     */
    public record ChurnShape(String peakAt, Duration peakFor, Duration peakSpread, List<Double> hourly, DataSize ioSize) {
        public static final ChurnShape DEFAULT = new ChurnShape("10:00", Duration.ofHours(1), Duration.ofHours(4), List.of(),
                DataSize.parse("64KiB"));

        public ChurnShape {
            hourly = hourly == null ? List.of() : List.copyOf(hourly);
        }

        ChurnShape withDefaults() {
            return new ChurnShape(peakAt != null ? peakAt : DEFAULT.peakAt, peakFor != null ? peakFor : DEFAULT.peakFor,
                    peakSpread != null ? peakSpread : DEFAULT.peakSpread, hourly, ioSize != null ? ioSize : DEFAULT.ioSize);
        }
    }

    /**
     * The bandwidth search: brackets each answer to {@code precision} (a share of it, {@code 5%}
     * by default) over {@code horizon} (the plan's, at most 7 days, by default).
     */
    public record Search(String precision, Duration horizon) {}

    /**
     * Initial replication: every VM's must end within {@code window} of its start, without a
     * resync; VMs without a wave in the inventory are put in waves that do, one wave after another.
     */
    public record InitialReplicationPlan(Duration window) {}
}
