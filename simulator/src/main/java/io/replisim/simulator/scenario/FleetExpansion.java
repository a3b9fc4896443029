package io.replisim.simulator.scenario;

import io.replisim.simulator.kernel.RandomStreams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands every site's {@code fleet} templates and {@code inventory} file into hosts, after the
 * hosts it lists itself, and remembers where each made host came from, so that a problem with
 * one is reported at its template or file.
 */
final class FleetExpansion {
    /** A number in a name pattern: {@code {0}}, {@code {00}}, ... padded to as many digits. */
    static final Pattern NUMBER = Pattern.compile("\\{(0+)}");

    /** The expanded scenario, and for each made host's path the path of what made it. */
    record Result(Scenario scenario, Map<String, String> origins) {}

    private FleetExpansion() {}

    /**
     * Expands {@code s}; {@code file} is the scenario file, which inventory paths are relative to,
     * {@code shown} how to name it in messages.
     */
    static Result expand(Scenario s, Path file) throws ScenarioException {
        List<Site> sites = s.effectiveSites();
        Map<String, String> origins = new LinkedHashMap<>();
        List<Site> expanded = new ArrayList<>();
        RandomStreams streams = new RandomStreams(s.effectiveSeed());
        List<ScenarioError> errors = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            Site site = sites.get(i);
            String sitePath = s.sites().isEmpty() ? "site" : "sites[" + i + "]";
            if (site.fleet().isEmpty() && site.inventory() == null) {
                expanded.add(site);
                continue;
            }
            List<Site.Host> hosts = new ArrayList<>(site.hosts() == null ? List.of() : site.hosts());
            for (int g = 0; g < site.fleet().size(); g++) {
                String groupPath = sitePath + ".fleet[" + g + "]";
                for (Site.Host h : group(site.effectiveName(), g, site.fleet().get(g), streams)) {
                    origins.put(sitePath + ".hosts[" + hosts.size() + "]", groupPath);
                    hosts.add(h);
                }
            }
            if (site.inventory() != null) {
                Path shown = file.getParent() == null ? Path.of(site.inventory().file())
                        : file.getParent().resolve(site.inventory().file()).normalize();
                Path dir = file.toAbsolutePath().getParent();
                Path csv = dir == null ? Path.of(site.inventory().file()) : dir.resolve(site.inventory().file()).normalize();
                try {
                    for (Site.Host h : InventoryCsv.read(csv, shown, site.inventory())) {
                        origins.put(sitePath + ".hosts[" + hosts.size() + "]", sitePath + ".inventory");
                        hosts.add(h);
                    }
                } catch (ScenarioException e) {
                    errors.addAll(e.errors());
                }
            }
            expanded.add(site.withHosts(hosts));
        }
        if (!errors.isEmpty()) {
            throw new ScenarioException(errors);
        }
        return new Result(s.withSites(expanded), origins);
    }

    /** The hosts of one template, each VM's varying values drawn from its own stream. */
    private static List<Site.Host> group(String site, int g, Fleet f, RandomStreams streams) {
        List<Site.Host> hosts = new ArrayList<>();
        int vm = 0;
        for (int h = 1; h <= f.effectiveHosts(); h++) {
            List<Site.Vm> vms = new ArrayList<>();
            for (int k = 0; k < f.effectiveVmsPerHost(); k++) {
                vm++;
                String vmName = name(f.vmName(), vm);
                List<Site.Disk> disks = new ArrayList<>();
                for (Fleet.Disk d : f.disks()) {
                    String stream = "fleet/" + site + "/" + g + "/" + vmName + "/" + d.name() + "/";
                    long size = d.size() == null ? 0 : d.size().draw(streams.stream(stream + "size"));
                    if (!(d.size() instanceof Spread.Fixed<?>) && !(d.size() instanceof Spread.OneOf<?>)) {
                        size = Math.max(1L << 20, size >> 20 << 20); // a drawn size: whole MiB, as Hyper-V sizes disks
                    }
                    Site.Churn churn = d.churn() == null || d.churn().rate() == null && d.churn().profile() == null ? null
                            : d.churn().with(d.churn().rate() == null ? null
                                    : new DataRate(d.churn().rate().draw(streams.stream(stream + "rate"))));
                    boolean writes = churn != null && (churn.profile() != null || churn.rate().bytesPerSecond() > 0);
                    disks.add(new Site.Disk(d.name(), new DataSize(size), writes ? churn : null));
                }
                vms.add(new Site.Vm(vmName, disks));
            }
            hosts.add(new Site.Host(name(f.hostName(), h), f.volume(), f.memory(), vms));
        }
        return hosts;
    }

    /** {@code pattern} with its number placeholder replaced by {@code n}. */
    static String name(String pattern, int n) {
        if (pattern == null) {
            return null;
        }
        Matcher m = NUMBER.matcher(pattern);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, String.format("%0" + m.group(1).length() + "d", n));
        }
        m.appendTail(b);
        return b.toString();
    }
}
