package io.replisim.simulator.plan;

import io.replisim.simulator.calendar.WeeklyHours;
import io.replisim.simulator.net.LinkCapacity;
import io.replisim.simulator.scenario.Bandwidth;
import io.replisim.simulator.scenario.Policy;
import io.replisim.simulator.scenario.ScenarioError;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.scenario.Site;
import io.replisim.simulator.scenario.Units;
import java.util.ArrayList;
import java.util.List;

/**
 * A "what if" (docs/planner.md): the same plan with one thing changed, without editing files.
 * {@code bandwidth=200Mbps} (every site's uplink a constant 200 Mbps) or {@code bandwidth=x1.5}
 * (every uplink's capacities times 1.5, profiles and schedules included); {@code copyFrequency=15m};
 * {@code throttle=50Mbps} (the agent throttled to 50 Mbps at all hours) or {@code throttle=none};
 * {@code outage=8h/7d} (an 8-hour outage every 7 days, instead of the plan's) or {@code outage=none}.
 */
public record WhatIf(String key, String value) {
    public static final List<String> KEYS = List.of("bandwidth", "copyFrequency", "throttle", "outage");

    /** A what-if written {@code key=value}; an unknown key or a bad value throws with a message naming both. */
    public static WhatIf parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not KEY=VALUE; keys: " + String.join(", ", KEYS));
        }
        WhatIf w = new WhatIf(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
        if (!KEYS.contains(w.key)) {
            throw new IllegalArgumentException("unknown key '" + w.key + "'; expected one of: " + String.join(", ", KEYS));
        }
        w.check();
        return w;
    }

    public String label() {
        return key + "=" + value;
    }

    private void check() {
        try {
            switch (key) {
                case "bandwidth" -> {
                    if (value.startsWith("x")) {
                        factor();
                    } else {
                        Bandwidth.parse(value);
                    }
                }
                case "copyFrequency" -> Units.duration(value);
                case "throttle" -> {
                    if (!value.equals("none")) {
                        Bandwidth.parse(value);
                    }
                }
                default -> outage();
            }
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new IllegalArgumentException(label() + ": " + e.getMessage());
        }
    }

    private double factor() {
        double f = Double.parseDouble(value.substring(1));
        if (!(f > 0) || Double.isInfinite(f)) {
            throw new IllegalArgumentException("expected a factor above 0 such as x1.5");
        }
        return f;
    }

    private List<Plan.Outage> outage() {
        if (value.equals("none")) {
            return List.of();
        }
        String[] parts = value.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected LENGTH/EVERY such as 4h/7d, or none");
        }
        return List.of(new Plan.Outage(Units.duration(parts[0]), null, Units.duration(parts[1]), null));
    }

    /** {@code input} with this change; a change the plan's rules refuse (a copy frequency ASR lacks) throws located at the flag. */
    public PlanInput apply(PlanInput input) throws ScenarioException {
        Plan p = input.plan();
        List<Site> sites = new ArrayList<>(input.sites());
        Plan changed = p;
        switch (key) {
            case "bandwidth" -> sites.replaceAll(s -> s.withUplink(bandwidth(s.uplink())));
            case "throttle" -> sites.replaceAll(s -> s.withUplink(throttle(s.uplink())));
            case "copyFrequency" -> {
                Policy policy = p.policy() == null ? Policy.DEFAULT : p.policy();
                changed = with(p, new Policy(Units.duration(value), policy.retention(), policy.appConsistentEvery(), null), p.outages());
            }
            default -> changed = with(p, p.policy(), outage());
        }
        PlanInput result = input.with(changed, sites);
        try {
            new ScenarioLoader().revalidate(result.steady(1));
        } catch (ScenarioException e) {
            List<ScenarioError> errors = new ArrayList<>();
            for (ScenarioError err : e.errors()) {
                errors.add(new ScenarioError(java.nio.file.Path.of("--what-if " + label()), 0, 0, err.fieldPath(), err.message()));
            }
            throw new ScenarioException(errors);
        }
        return result;
    }

    private static Plan with(Plan p, Policy policy, List<Plan.Outage> outages) {
        return new Plan(p.name(), p.start(), p.timeZone(), p.horizon(), p.inventory(), policy, p.targetRpo(), p.seeds(), p.sites(),
                outages, p.churn(), p.search(), p.initialReplication());
    }

    private Site.Uplink bandwidth(Site.Uplink u) {
        if (!value.startsWith("x")) {
            return new Site.Uplink(Bandwidth.parse(value), null, null, u.throttle(), u.latency(), u.uploadThreads(), null);
        }
        double f = factor();
        return new Site.Uplink(u.bandwidth() == null ? null : new Bandwidth(Math.round(u.bandwidth().bitsPerSecond() * f)), u.profile(),
                u.schedule().stream().map(w -> new Site.ScheduledBandwidth(w.hours(), new Bandwidth(Math.round(w.bandwidth().bitsPerSecond() * f))))
                        .toList(), u.throttle(), u.latency(), u.uploadThreads(),
                u.samples().stream().map(s -> new LinkCapacity.Sample(s.offsetNanos(), Math.round(s.bitsPerSecond() * f))).toList());
    }

    private Site.Uplink throttle(Site.Uplink u) {
        Site.Throttle t = value.equals("none") ? null
                : new Site.Throttle(WeeklyHours.parse("Mon-Sun 00:00-24:00"), Bandwidth.parse(value), Bandwidth.parse(value));
        return new Site.Uplink(u.bandwidth(), u.profile(), u.schedule(), t, u.latency(), u.uploadThreads(), u.samples());
    }
}
