package io.replisim.simulator.plan;

import io.replisim.simulator.scenario.Bandwidth;
import io.replisim.simulator.scenario.ChurnCsv;
import io.replisim.simulator.scenario.DataSize;
import io.replisim.simulator.scenario.FaultSpec;
import io.replisim.simulator.scenario.Fidelity;
import io.replisim.simulator.scenario.Policy;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioError;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.scenario.Site;
import io.replisim.simulator.scenario.YamlLocator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked plan with its inventory, and the scenarios the planner runs from it: the steady
 * state (every VM replicated at the start), a site alone on a constant bandwidth (the search's
 * probes) and initial replication in waves. All run in flow fidelity.
 */
public final class PlanInput {
    /** A host's volume when the plan does not give one: roomy, so that only the logs' size is planned. */
    public static final DataSize DEFAULT_VOLUME = DataSize.parse("16TiB");

    private final Path file;
    private final Plan plan;
    private final PlanInventory inventory;
    /** Every site with its uplink's profile loaded, in the plan's order. */
    private final List<Site> sites;

    /** Each churn profile the inventory names, read once. */
    private final Map<Path, ChurnCsv.Series> profiles;

    private PlanInput(Path file, Plan plan, PlanInventory inventory, List<Site> sites, Map<Path, ChurnCsv.Series> profiles) {
        this.file = file;
        this.plan = plan;
        this.inventory = inventory;
        this.sites = sites;
        this.profiles = profiles;
    }

    static PlanInput of(Path file, String text, Plan plan, PlanInventory inventory) throws ScenarioException {
        Map<Path, ChurnCsv.Series> profiles = new LinkedHashMap<>();
        List<ScenarioError> errors = new ArrayList<>();
        for (PlanInventory.PlanVm vm : inventory.vms()) {
            for (PlanInventory.PlanDisk d : vm.disks()) {
                if (d.profile() != null && !profiles.containsKey(d.profile())) {
                    try {
                        profiles.put(d.profile(), ChurnCsv.read(d.profile(), d.profileShown(), plan.start(), plan.effectiveZone()));
                    } catch (ScenarioException e) {
                        errors.addAll(e.errors());
                        profiles.put(d.profile(), null);
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ScenarioException(errors);
        }
        PlanInput draft = new PlanInput(file, plan, inventory, null, profiles);
        Scenario steady = draft.scenario(Policy.REPLICATED, plan.horizon(), Map.of(), draft.outages(plan.outages()), 1);
        try {
            new ScenarioLoader().revalidate(steady);
        } catch (ScenarioException e) {
            throw draft.located(e, text);
        }
        Scenario loaded = ScenarioLoader.withFiles(file, steady);
        return new PlanInput(file, plan, inventory, loaded.effectiveSites(), profiles);
    }

    public Plan plan() {
        return plan;
    }

    public Path file() {
        return file;
    }

    public PlanInventory inventory() {
        return inventory;
    }

    /** This input with {@code changed} as its plan (a what-if); the inventory stays, the sites follow the plan's uplinks. */
    PlanInput with(Plan changed, List<Site> changedSites) {
        return new PlanInput(file, changed, inventory, changedSites, profiles);
    }

    /** This input simulated with seeds 1 to {@code n}. */
    public PlanInput withSeeds(int n) {
        Plan p = plan;
        return new PlanInput(file, new Plan(p.name(), p.start(), p.timeZone(), p.horizon(), p.inventory(), p.policy(), p.targetRpo(), n,
                p.sites(), p.outages(), p.churn(), p.search(), p.initialReplication()), inventory, sites, profiles);
    }

    List<Site> sites() {
        return sites;
    }

    /** Every VM replicated at the start, over the horizon, with the plan's outages. */
    public Scenario steady(long seed) {
        return scenario(Policy.REPLICATED, plan.horizon(), Map.of(), outages(plan.outages()), seed).withSeed(seed);
    }

    /** Site {@code index} alone, its uplink a constant {@code bitsPerSecond} (no schedule, no throttle), over {@code horizon}. */
    Scenario probe(int index, long bitsPerSecond, Duration horizon, long seed) {
        Site s = scenario(Policy.REPLICATED, horizon, Map.of(), List.of(), seed).effectiveSites().get(index);
        Site.Uplink u = s.uplink();
        Site alone = s.withUplink(new Site.Uplink(new Bandwidth(bitsPerSecond), null, null, null, u.latency(), u.uploadThreads(), null));
        String name = s.effectiveName();
        List<FaultSpec> faults = outages(plan.outages()).stream()
                .filter(f -> f.at().compareTo(horizon) < 0 && (f.site() == null || f.site().equals(name)))
                .map(f -> new FaultSpec(f.at(), f.kind(), f.lasting(), null, null, null, null, null)).toList();
        return new Scenario(plan.name(), seed, plan.start(), plan.timeZone(), horizon, Fidelity.FLOW, policy(Policy.REPLICATED),
                alone, null, null, faults, List.of(), List.of());
    }

    /** Initial replication: each VM starts at its entry of {@code starts} (offsets), over {@code duration}, no outages. */
    Scenario initialReplication(Map<String, Duration> starts, Duration duration, long seed) {
        Map<String, String> at = new LinkedHashMap<>();
        starts.forEach((vm, offset) -> at.put(vm, plan.start().plus(offset).toString()));
        return scenario(Policy.IMMEDIATELY, duration, at, List.of(), seed).withSeed(seed);
    }

    private Policy policy(String start) {
        Policy p = plan.policy() == null ? Policy.DEFAULT : plan.policy();
        return new Policy(p.copyFrequency(), p.retention(), p.appConsistentEvery(), start);
    }

    /** Every site of the plan with its VMs, their churn drawn for {@code seed}. */
    private Scenario scenario(String start, Duration duration, Map<String, String> vmStarts, List<FaultSpec> faults, long seed) {
        List<Site> built = new ArrayList<>();
        for (int i = 0; i < plan.sites().size(); i++) {
            Plan.PlanSite ps = plan.sites().get(i);
            Map<String, List<Site.Vm>> hosts = new LinkedHashMap<>();
            for (PlanInventory.PlanVm vm : inventory.vms()) {
                if (!vm.site().equals(ps.name())) {
                    continue;
                }
                List<Site.Disk> disks = new ArrayList<>();
                for (PlanInventory.PlanDisk d : vm.disks()) {
                    disks.add(new Site.Disk(d.name(), new DataSize(d.provisionedBytes()), churn(vm, d, seed),
                            new DataSize(d.usedBytes())));
                }
                hosts.computeIfAbsent(vm.host(), h -> new ArrayList<>()).add(new Site.Vm(vm.name(), disks, vmStarts.get(vm.name())));
            }
            List<Site.Host> hostList = new ArrayList<>();
            hosts.forEach((h, vms) -> hostList.add(new Site.Host(h, ps.volume() != null ? ps.volume() : DEFAULT_VOLUME, ps.memory(), vms)));
            Site.Uplink uplink = sites != null ? sites.get(i).uplink() : ps.uplink();
            built.add(new Site(Site.Kind.HYPERV_SITE, ps.name(), uplink, hostList));
        }
        return new Scenario(plan.name(), 1L, plan.start(), plan.timeZone(), duration, Fidelity.FLOW, policy(start), null, built, null,
                faults, List.of(), List.of());
    }

    /** The disk's churn for {@code seed}: its recorded profile, or its average and peak with the peak placed within the shape's spread. */
    Site.Churn churn(PlanInventory.PlanVm vm, PlanInventory.PlanDisk d, long seed) {
        Plan.ChurnShape shape = plan.effectiveChurn();
        if (d.profile() != null) {
            return new Site.Churn(null, d.profile().toString(), shape.ioSize(), null, null, null, null, null, null, profiles.get(d.profile()));
        }
        if (d.averageBytesPerSecond() == 0) {
            return null;
        }
        return ChurnModel.churn(shape, d.averageBytesPerSecond(), d.peakBytesPerSecond(), ChurnModel.shift(shape, seed, vm.name(), d.name()));
    }

    /** The outages as network-outage faults within the horizon. */
    List<FaultSpec> outages(List<Plan.Outage> outages) {
        List<FaultSpec> faults = new ArrayList<>();
        for (Plan.Outage o : outages) {
            // by default in the middle of the first period or of the horizon, whichever comes first: always within it
            Duration middle = plan.horizon().dividedBy(2);
            Duration at = o.at() != null ? o.at() : o.every() != null && o.every().dividedBy(2).compareTo(middle) < 0 ? o.every().dividedBy(2) : middle;
            for (Duration t = at; t.compareTo(plan.horizon()) < 0; t = t.plus(o.every())) {
                faults.add(new FaultSpec(t, "network-outage", o.lasting(), null, null, null, null, o.site()));
                if (o.every() == null) {
                    break;
                }
            }
        }
        faults.sort(java.util.Comparator.comparing(FaultSpec::at));
        return faults;
    }

    /** The built scenario's problems, located where the plan or the inventory says what caused them. */
    private ScenarioException located(ScenarioException e, String text) {
        YamlLocator locator = new YamlLocator(text);
        List<ScenarioError> errors = new ArrayList<>();
        for (ScenarioError err : e.errors()) {
            String path = err.fieldPath().startsWith("site.") ? "sites[0]." + err.fieldPath().substring(5) : err.fieldPath();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^sites\\[(\\d+)]\\.hosts\\[(\\d+)]\\.vms\\[(\\d+)](\\.disks\\[(\\d+)])?")
                    .matcher(path);
            if (m.find()) {
                PlanInventory.PlanVm vm = vmAt(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
                int line = vm == null ? 0 : m.group(5) == null ? vm.line() : vm.disks().get(Integer.parseInt(m.group(5))).line();
                Path inv = file.getParent() == null ? Path.of(plan.inventory()) : file.getParent().resolve(plan.inventory()).normalize();
                errors.add(new ScenarioError(inv, line, 1, path.substring(m.end()).replaceFirst("^\\.", ""), err.message()));
                continue;
            }
            int[] at = locator.locate(path);
            errors.add(new ScenarioError(file, at[0], at[1], path, err.message()));
        }
        return new ScenarioException(errors);
    }

    private PlanInventory.PlanVm vmAt(int site, int host, int vm) {
        String siteName = plan.sites().get(site).name();
        List<String> hosts = new ArrayList<>();
        List<List<PlanInventory.PlanVm>> vms = new ArrayList<>();
        for (PlanInventory.PlanVm v : inventory.vms()) {
            if (v.site().equals(siteName)) {
                int h = hosts.indexOf(v.host());
                if (h < 0) {
                    hosts.add(v.host());
                    vms.add(new ArrayList<>());
                    h = hosts.size() - 1;
                }
                vms.get(h).add(v);
            }
        }
        return host < vms.size() && vm < vms.get(host).size() ? vms.get(host).get(vm) : null;
    }
}
