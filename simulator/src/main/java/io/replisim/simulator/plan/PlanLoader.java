package io.replisim.simulator.plan;

import io.replisim.simulator.scenario.ScenarioError;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.scenario.YamlLocator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a plan file and its inventory, checks them, and builds the scenarios the planner runs.
 * Every problem is reported located: the plan's line and column, or the inventory's row.
 */
public final class PlanLoader {
    private PlanLoader() {}

    public static PlanInput load(Path file) throws ScenarioException {
        String text = ScenarioLoader.read(file);
        Plan plan = new ScenarioLoader().bind(file, text, Plan.class,
                "the file is empty: expected a plan with name, start, horizon, inventory, targetRpo and sites");
        YamlLocator locator = new YamlLocator(text);
        List<ScenarioError> errors = new ArrayList<>();
        Checks c = new Checks(file, locator, errors);
        c.required("name", plan.name());
        c.required("start", plan.start());
        c.positive("horizon", plan.horizon());
        c.required("inventory", plan.inventory());
        c.positive("targetRpo", plan.targetRpo());
        if (plan.seeds() != null && (plan.seeds() < 1 || plan.seeds() > 1000)) {
            c.problem("seeds", "'" + plan.seeds() + "' is not a number of seeds from 1 to 1000");
        }
        if (plan.sites().isEmpty()) {
            c.problem("sites", "missing; expected a list of sites, each with a name and an uplink");
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < plan.sites().size(); i++) {
            Plan.PlanSite s = plan.sites().get(i);
            String p = "sites[" + i + "]";
            if (s == null || s.name() == null || s.name().isBlank()) {
                c.problem(p + (s == null ? "" : ".name"), "missing; expected the site's name, as the inventory's site column gives it");
                continue;
            }
            if (!names.add(s.name())) {
                c.problem(p + ".name", "site '" + s.name() + "' is listed twice");
            }
            if (s.uplink() == null) {
                c.problem(p + ".uplink", "missing; expected the site's uplink: {bandwidth: 100Mbps}, {profile: FILE.csv} or a schedule");
            }
        }
        for (int i = 0; i < plan.outages().size(); i++) {
            Plan.Outage o = plan.outages().get(i);
            String p = "outages[" + i + "]";
            if (o == null) {
                c.problem(p, "expected an outage: {for: 4h, every: 7d}");
                continue;
            }
            c.positive(p + ".for", o.lasting());
            if (o.every() != null && o.lasting() != null && o.every().compareTo(o.lasting()) <= 0) {
                c.problem(p + ".every", "'" + Checks.text(locator, p + ".every", o.every()) + "' is not longer than the outage itself");
            }
            if (o.at() != null && (o.at().isNegative() || plan.horizon() != null && o.at().compareTo(plan.horizon()) >= 0)) {
                c.problem(p + ".at", "'" + Checks.text(locator, p + ".at", o.at()) + "' is not within the horizon");
            }
            if (o.site() != null && !names.contains(o.site())) {
                c.problem(p + ".site", "site '" + o.site() + "' is not one of the plan's sites: " + String.join(", ", names));
            }
        }
        if (plan.churn() != null) {
            Plan.ChurnShape shape = plan.churn();
            if (shape.peakAt() != null) {
                try {
                    LocalTime.parse(shape.peakAt().length() == 4 ? "0" + shape.peakAt() : shape.peakAt());
                } catch (DateTimeParseException e) {
                    c.problem("churn.peakAt", "'" + shape.peakAt() + "' is not a time of day such as 10:00");
                }
            }
            if (shape.peakFor() != null && (shape.peakFor().isNegative() || shape.peakFor().isZero()
                    || shape.peakFor().compareTo(Duration.ofHours(24)) > 0)) {
                c.problem("churn.peakFor", "expected a duration above 0 and at most 24h");
            }
            if (shape.peakSpread() != null && (shape.peakSpread().isNegative() || shape.peakSpread().compareTo(Duration.ofHours(24)) > 0)) {
                c.problem("churn.peakSpread", "expected a duration from 0 to 24h");
            }
            if (!shape.hourly().isEmpty() && (shape.hourly().size() != 24
                    || shape.hourly().stream().anyMatch(w -> w == null || w < 0) || shape.hourly().stream().allMatch(w -> w == 0))) {
                c.problem("churn.hourly", "expected 24 weights, one per hour from 00:00, none below 0 and not all 0");
            }
        }
        if (plan.search() != null) {
            if (plan.search().precision() != null && ChurnModel.precision(plan.search().precision()) == null) {
                c.problem("search.precision", "'" + plan.search().precision() + "' is not a share such as 5% (above 0%, at most 50%)");
            }
            if (plan.search().horizon() != null) {
                c.positive("search.horizon", plan.search().horizon());
            }
        }
        if (plan.initialReplication() != null) {
            c.positive("initialReplication.window", plan.initialReplication().window());
        }
        if (!errors.isEmpty()) {
            throw new ScenarioException(errors);
        }
        Path dir = file.toAbsolutePath().getParent();
        Path csv = dir == null ? Path.of(plan.inventory()) : dir.resolve(plan.inventory()).normalize();
        Path shown = file.getParent() == null ? Path.of(plan.inventory()) : file.getParent().resolve(plan.inventory()).normalize();
        PlanInventory inventory;
        try {
            inventory = PlanInventory.read(csv, shown, names);
        } catch (ScenarioException e) {
            if (e.errors().size() == 1 && e.errors().get(0).line() == 0) { // the file itself: say where the plan names it
                int[] at = locator.locate("inventory");
                throw new ScenarioException(List.of(new ScenarioError(file, at[0], at[1], "inventory",
                        shown + ": " + e.errors().get(0).message())));
            }
            throw e;
        }
        Set<String> used = new HashSet<>();
        inventory.vms().forEach(v -> used.add(v.site()));
        for (int i = 0; i < plan.sites().size(); i++) {
            if (!used.contains(plan.sites().get(i).name())) {
                c.problem("sites[" + i + "].name", "site '" + plan.sites().get(i).name() + "' has no VM in the inventory " + shown);
            }
        }
        if (!errors.isEmpty()) {
            throw new ScenarioException(errors);
        }
        return PlanInput.of(file, text, plan, inventory);
    }

    /** The plan's own checks, each problem located in the plan file. */
    record Checks(Path file, YamlLocator locator, List<ScenarioError> errors) {
        void problem(String path, String message) {
            int[] at = locator.locate(path);
            errors.add(new ScenarioError(file, at[0], at[1], path, message));
        }

        void required(String path, Object value) {
            if (value == null || value instanceof String s && s.isBlank()) {
                problem(path, "missing");
            }
        }

        void positive(String path, Duration d) {
            if (d == null) {
                problem(path, "missing; expected a duration such as 7d");
            } else if (d.isNegative() || d.isZero()) {
                problem(path, "expected a duration above 0");
            }
        }

        static String text(YamlLocator locator, String path, Object value) {
            String written = locator.scalar(path);
            return written != null ? written : String.valueOf(value);
        }
    }
}
