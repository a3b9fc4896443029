package io.replisim.simulator.hunt;

import io.replisim.simulator.kernel.RandomStream;
import io.replisim.simulator.scenario.ActionSpec;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.Site;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Random administrator episodes for a scenario, drawn from one seeded stream: 0 to
 * {@code maxEpisodes} of them, each on one VM, starting at a whole second uniform in the
 * duration. An episode is what an administrator does as a whole:
 * <ul>
 * <li>a test failover (to the latest or the latest app-consistent point) and its cleanup;
 * <li>a planned or unplanned failover, then either a commit, or a failback (checksum or full)
 *     and a reprotect;
 * <li>starting a required resynchronization by hand;
 * <li>disabling replication.
 * </ul>
 * The steps of an episode follow each other after {@link #SHORTEST} to {@link #LONGEST},
 * log-uniformly, and may land after the run's end (then they do not happen). Actions that do not
 * apply when they come are refused by the stack ({@code action.refused}), which is tested too.
 */
public final class RandomActions {
    public static final Duration SHORTEST = Duration.ofMinutes(1);
    public static final Duration LONGEST = Duration.ofHours(2);

    private RandomActions() {}

    /** Draws the actions of up to {@code maxEpisodes} episodes for {@code scenario} from {@code random}, by time. */
    public static List<ActionSpec> draw(Scenario scenario, RandomStream random, int maxEpisodes) {
        List<String> vms = new ArrayList<>();
        for (Site.Host h : scenario.site().hosts()) {
            for (Site.Vm v : h.vms()) {
                vms.add(v.name());
            }
        }
        long seconds = Math.max(1, scenario.duration().toSeconds());
        int n = maxEpisodes <= 0 || vms.isEmpty() ? 0 : random.nextInt(maxEpisodes + 1);
        List<ActionSpec> actions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String vm = vms.get(random.nextInt(vms.size()));
            Duration at = Duration.ofSeconds(random.nextLong(seconds));
            int kind = random.nextInt(10); // weights: test 3, planned 2, unplanned 2, resync 2, disable 1
            if (kind < 3) {
                actions.add(new ActionSpec(at, "test-failover", vm, point(random)));
                actions.add(new ActionSpec(at = later(at, random), "test-failover-cleanup", vm, null));
            } else if (kind < 7) {
                boolean planned = kind < 5;
                actions.add(new ActionSpec(at, planned ? "planned-failover" : "unplanned-failover", vm,
                        planned ? null : point(random)));
                at = later(at, random);
                if (random.nextInt(4) == 0) {
                    actions.add(new ActionSpec(at, "commit", vm, null));
                } else {
                    actions.add(new ActionSpec(at, "failback", vm, null, random.nextInt(4) == 0 ? "full" : "checksum"));
                    actions.add(new ActionSpec(later(at, random), "reprotect", vm, null));
                }
            } else if (kind < 9) {
                actions.add(new ActionSpec(at, "resync", vm, null));
            } else {
                actions.add(new ActionSpec(at, "disable-replication", vm, null));
            }
        }
        // steps after the run's end would not happen: leave them out of the scenario
        actions.removeIf(a -> a.at().compareTo(scenario.duration()) >= 0);
        actions.sort(java.util.Comparator.comparing(ActionSpec::at)); // stable: an episode's steps keep their order
        return actions;
    }

    private static String point(RandomStream random) {
        return random.nextInt(3) == 0 ? "latest-app" : "latest";
    }

    private static Duration later(Duration at, RandomStream random) {
        double lo = StrictMath.log(SHORTEST.toSeconds());
        double hi = StrictMath.log(LONGEST.toSeconds());
        return at.plusSeconds(Math.round(StrictMath.exp(lo + random.nextDouble() * (hi - lo))));
    }
}
