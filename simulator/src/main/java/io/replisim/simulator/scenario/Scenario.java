package io.replisim.simulator.scenario;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * A scenario file as written: topology, policy, workloads and expectations. Absent optional
 * fields are {@code null} here; {@link ScenarioValidator} reports absent required ones, and the
 * accessors named {@code effective...} supply documented defaults.
 *
 * @param name        the scenario's name (used for the default output folder)
 * @param seed        the default seed; {@code --seed} overrides it
 * @param start       the simulated start instant with its offset
 * @param timeZone    the calendar for work hours; defaults to the start's offset
 * @param duration    how long the workload runs; the run then drains the last logs
 * @param fidelity    bytes (real bytes), model (content-free) or flow (rate processes)
 * @param site        the one site, or null when {@code sites} lists several
 * @param sites       several sites, each with its own uplink and hosts, sharing the vault
 * @param resync      when and how resynchronization runs
 * @param faults      faults injected at given times
 * @param actions     administrators' actions at given times
 */
public record Scenario(
        String name,
        Long seed,
        OffsetDateTime start,
        ZoneId timeZone,
        Duration duration,
        Fidelity fidelity,
        Policy policy,
        Site site,
        List<Site> sites,
        Resync resync,
        List<FaultSpec> faults,
        List<ActionSpec> actions,
        List<Expectation> expect) {

    public static final long DEFAULT_SEED = 1L;

    public Scenario {
        faults = faults == null ? List.of() : List.copyOf(faults);
        actions = actions == null ? List.of() : List.copyOf(actions);
        expect = expect == null ? List.of() : List.copyOf(expect);
        sites = sites == null ? List.of() : List.copyOf(sites);
    }

    /** A scenario of one site. */
    public Scenario(String name, Long seed, OffsetDateTime start, ZoneId timeZone, Duration duration, Fidelity fidelity,
                    Policy policy, Site site, Resync resync, List<FaultSpec> faults, List<ActionSpec> actions,
                    List<Expectation> expect) {
        this(name, seed, start, timeZone, duration, fidelity, policy, site, null, resync, faults, actions, expect);
    }

    /** Every site, in the order the file gives them: {@code sites}, or the one {@code site}. */
    public List<Site> effectiveSites() {
        return sites.isEmpty() ? (site == null ? List.of() : List.of(site)) : sites;
    }

    /** This scenario with {@code all} as its sites (one becomes {@code site}, as a file of one site writes it). */
    public Scenario withSites(List<Site> all) {
        return all.size() == 1 && sites.isEmpty() ? withSite(all.get(0))
                : new Scenario(name, seed, start, timeZone, duration, fidelity, policy, null, all, resync, faults, actions, expect);
    }

    public long effectiveSeed() {
        return seed == null ? DEFAULT_SEED : seed;
    }

    public ZoneId effectiveZone() {
        return timeZone != null ? timeZone : start.getOffset();
    }

    public Fidelity effectiveFidelity() {
        return fidelity == null ? Fidelity.BYTES : fidelity;
    }

    public Resync effectiveResync() {
        return resync == null ? Resync.DEFAULT : resync.withDefaults();
    }

    public Policy effectivePolicy() {
        return policy == null ? Policy.DEFAULT : policy.withDefaults();
    }

    public Scenario withSite(Site newSite) {
        return new Scenario(name, seed, start, timeZone, duration, fidelity, policy, newSite, sites, resync, faults, actions,
                expect);
    }

    /** A copy of this scenario with another seed. */
    public Scenario withSeed(long newSeed) {
        return new Scenario(name, newSeed, start, timeZone, duration, fidelity, policy, site, sites, resync, faults, actions,
                expect);
    }

    public Scenario withFidelity(Fidelity newFidelity) {
        return new Scenario(name, seed, start, timeZone, duration, newFidelity, policy, site, sites, resync, faults, actions,
                expect);
    }
}
