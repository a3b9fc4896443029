package io.replisim.simulator.plan;

import io.replisim.simulator.scenario.CsvCells;
import io.replisim.simulator.scenario.CsvCells.Cell;
import io.replisim.simulator.scenario.ScenarioError;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.scenario.Units;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A planner's inventory: one row per disk, as profilers export them.
 * <pre>
 * vm,host,site,disk,provisioned,used,churn_avg,churn_peak
 * sql01,hv01,paris,os,127,60,0.4,2.5
 * sql01,hv01,paris,data,1024,700,3.1,18
 * </pre>
 * Sizes are plain GiB or carry a unit; churn is plain MB/s (10^6 bytes a second) or carries a
 * unit. Instead of average and peak, {@code churn_profile} names a churn time series CSV
 * (relative to the inventory). Optional: {@code wave} (a whole number: the VM's initial
 * replication wave) or {@code ir_start} (a date-time or an offset from the plan's start). Header
 * names are matched ignoring case, spaces, {@code _} and {@code -}.
 */
public record PlanInventory(List<PlanVm> vms) {

    /** A VM of the inventory; {@code line} is its first row's. */
    public record PlanVm(String name, String host, String site, List<PlanDisk> disks, Integer wave, String irStart, int line) {}

    /** A disk: sizes in bytes (provisioned in whole MiB), churn in bytes a second; {@code profile} null or resolved. */
    public record PlanDisk(String name, long provisionedBytes, long usedBytes, long averageBytesPerSecond,
                           long peakBytesPerSecond, Path profile, Path profileShown, int line) {}

    static final Map<String, List<String>> COLUMNS = columns();

    private static Map<String, List<String>> columns() {
        Map<String, List<String>> c = new LinkedHashMap<>();
        c.put("vm", List.of("vm", "vmname", "name"));
        c.put("host", List.of("host", "hostname", "hypervhost"));
        c.put("site", List.of("site", "sitename"));
        c.put("disk", List.of("disk", "diskname"));
        c.put("provisioned", List.of("provisioned", "provisionedsize", "size", "disksize"));
        c.put("used", List.of("used", "usedsize"));
        c.put("churn_avg", List.of("churnavg", "avgchurn", "churn", "averagechurn"));
        c.put("churn_peak", List.of("churnpeak", "peakchurn"));
        c.put("churn_profile", List.of("churnprofile", "profile"));
        c.put("wave", List.of("wave"));
        c.put("ir_start", List.of("irstart", "initialreplicationstart"));
        return c;
    }

    private static final List<String> REQUIRED = List.of("vm", "host", "site", "disk", "provisioned", "used");

    /** Reads {@code csv} ({@code shown} names it); every VM's site must be one of {@code sites}. */
    public static PlanInventory read(Path csv, Path shown, Set<String> sites) throws ScenarioException {
        Reader r = new Reader(shown, csv.toAbsolutePath().getParent(), shown.getParent());
        PlanInventory inventory = r.parse(ScenarioLoader.read(csv), sites);
        if (!r.errors.isEmpty()) {
            throw new ScenarioException(r.errors);
        }
        return inventory;
    }

    private static final class Reader {
        private final Path shown;
        private final Path dir;
        private final Path shownDir;
        final List<ScenarioError> errors = new ArrayList<>();

        Reader(Path shown, Path dir, Path shownDir) {
            this.shown = shown;
            this.dir = dir;
            this.shownDir = shownDir;
        }

        PlanInventory parse(String text, Set<String> sites) {
            List<List<Cell>> rows;
            try {
                rows = CsvCells.rows(text);
            } catch (IOException e) {
                error(0, 0, "", "not a CSV file: " + e.getMessage().lines().findFirst().orElse(""));
                return new PlanInventory(List.of());
            }
            String expected = "vm,host,site,disk,provisioned,used and churn_avg,churn_peak or churn_profile";
            if (rows.isEmpty()) {
                error(1, 1, "", "the file is empty: expected a header " + expected + " and a row per disk");
                return new PlanInventory(List.of());
            }
            Map<String, Integer> at = header(rows.get(0), expected);
            if (at == null) {
                return new PlanInventory(List.of());
            }
            Map<String, Builder> vms = new LinkedHashMap<>();
            Map<String, String> siteOfHost = new LinkedHashMap<>();
            for (List<Cell> row : rows.subList(1, rows.size())) {
                int line = row.get(0).line();
                if (row.size() != rows.get(0).size()) {
                    error(line, 1, "", "expected " + rows.get(0).size() + " fields, as the header has, found " + row.size());
                    continue;
                }
                Cell vm = row.get(at.get("vm"));
                Cell host = row.get(at.get("host"));
                Cell site = row.get(at.get("site"));
                Cell disk = row.get(at.get("disk"));
                if (!name(vm, "vm") | !name(host, "host") | !name(site, "site") | !name(disk, "disk")) {
                    continue;
                }
                if (!sites.contains(site.text())) {
                    error(site, "site", "site '" + site.text() + "' is not one of the plan's sites: " + String.join(", ", sites));
                    continue;
                }
                String hostSite = siteOfHost.putIfAbsent(host.text(), site.text());
                if (hostSite != null && !hostSite.equals(site.text())) {
                    error(site, "site", "host '" + host.text() + "' is at site '" + hostSite + "' in an earlier row");
                    continue;
                }
                Builder b = vms.get(vm.text());
                if (b != null && !b.host.equals(host.text())) {
                    error(host, "host", "VM '" + vm.text() + "' is on host '" + b.host + "' in an earlier row");
                    continue;
                }
                Long provisioned = size(row.get(at.get("provisioned")), "provisioned");
                Long used = size(row.get(at.get("used")), "used");
                Cell avgCell = at.containsKey("churn_avg") ? row.get(at.get("churn_avg")) : null;
                Cell peakCell = at.containsKey("churn_peak") ? row.get(at.get("churn_peak")) : null;
                Cell profileCell = at.containsKey("churn_profile") ? row.get(at.get("churn_profile")) : null;
                boolean profiled = profileCell != null && !profileCell.text().isEmpty();
                Long avg = null;
                Long peak = null;
                if (!profiled) {
                    if (avgCell == null || avgCell.text().isEmpty()) {
                        error(avgCell != null ? avgCell : row.get(0), "churn_avg", "missing: give churn_avg (and churn_peak) or churn_profile");
                        continue;
                    }
                    avg = rate(avgCell, "churn_avg");
                    peak = peakCell == null || peakCell.text().isEmpty() ? avg : rate(peakCell, "churn_peak");
                } else if (avgCell != null && !avgCell.text().isEmpty()) {
                    error(avgCell, "churn_avg", "give either churn_avg and churn_peak or churn_profile, not both");
                    continue;
                }
                if (provisioned == null || used == null || !profiled && (avg == null || peak == null)) {
                    continue;
                }
                if (provisioned == 0) {
                    error(row.get(at.get("provisioned")), "provisioned", "expected a size above 0");
                    continue;
                }
                long mib = (provisioned + (1 << 20) - 1) >> 20 << 20; // Hyper-V sizes disks in whole MiB
                if (used > mib || used == 0) {
                    error(row.get(at.get("used")), "used", "expected above 0 and at most the provisioned size");
                    continue;
                }
                if (!profiled && peak < avg) {
                    error(peakCell, "churn_peak", "the peak is below the average (" + avgCell.text() + ")");
                    continue;
                }
                Integer wave = null;
                if (at.containsKey("wave") && !row.get(at.get("wave")).text().isEmpty()) {
                    Cell w = row.get(at.get("wave"));
                    try {
                        wave = Integer.parseInt(w.text());
                        if (wave < 1) {
                            throw new NumberFormatException();
                        }
                    } catch (NumberFormatException e) {
                        error(w, "wave", "'" + w.text() + "' is not a whole number of 1 or more");
                        continue;
                    }
                }
                String irStart = at.containsKey("ir_start") && !row.get(at.get("ir_start")).text().isEmpty()
                        ? row.get(at.get("ir_start")).text() : null;
                if (b == null) {
                    b = new Builder(vm.text(), host.text(), site.text(), line);
                    vms.put(vm.text(), b);
                }
                if (wave != null) {
                    b.wave = wave;
                }
                if (irStart != null) {
                    b.irStart = irStart;
                }
                if (!b.diskNames.add(disk.text())) {
                    error(disk, "disk", "disk '" + disk.text() + "' of VM '" + vm.text() + "' appears in an earlier row");
                    continue;
                }
                Path profile = profiled ? dir == null ? Path.of(profileCell.text()) : dir.resolve(profileCell.text()).normalize() : null;
                Path profileShown = profiled ? shownDir == null ? Path.of(profileCell.text()) : shownDir.resolve(profileCell.text()).normalize() : null;
                b.disks.add(new PlanDisk(disk.text(), mib, used, profiled ? 0 : avg, profiled ? 0 : peak, profile, profileShown, line));
            }
            if (vms.isEmpty() && errors.isEmpty()) {
                error(1, 1, "", "no VMs: expected a row per disk after the header");
            }
            return new PlanInventory(vms.values().stream()
                    .map(b -> new PlanVm(b.name, b.host, b.site, b.disks, b.wave, b.irStart, b.line)).toList());
        }

        private Map<String, Integer> header(List<Cell> cells, String expected) {
            Map<String, Integer> at = new LinkedHashMap<>();
            for (int i = 0; i < cells.size(); i++) {
                String key = cells.get(i).text().toLowerCase(Locale.ROOT).replaceAll("[ _\\-]", "").replaceAll("\\(.*\\)$", "");
                String column = COLUMNS.entrySet().stream().filter(e -> e.getValue().contains(key)).map(Map.Entry::getKey)
                        .findFirst().orElse(null);
                if (column == null) {
                    error(cells.get(i), "", "unknown column '" + cells.get(i).text() + "'; expected " + expected
                            + ", and optionally wave or ir_start");
                    return null;
                }
                if (at.put(column, i) != null) {
                    error(cells.get(i), "", "column '" + cells.get(i).text() + "' appears twice (as " + column + ")");
                    return null;
                }
            }
            for (String required : REQUIRED) {
                if (!at.containsKey(required)) {
                    error(cells.get(0).line(), 1, "", "the header lacks the column '" + required + "'; expected " + expected);
                    return null;
                }
            }
            if (!at.containsKey("churn_avg") && !at.containsKey("churn_profile")) {
                error(cells.get(0).line(), 1, "", "the header lacks a churn column; expected " + expected);
                return null;
            }
            if (at.containsKey("wave") && at.containsKey("ir_start")) {
                error(cells.get(at.get("ir_start")), "", "give either wave or ir_start, not both");
                return null;
            }
            return at;
        }

        private boolean name(Cell c, String field) {
            if (c.text().isEmpty()) {
                error(c, field, "missing; expected a name");
                return false;
            }
            return true;
        }

        /** A size with its unit, or a plain number of GiB. */
        private Long size(Cell c, String field) {
            try {
                return Units.sizeOrGiB(c.text());
            } catch (IllegalArgumentException | ArithmeticException e) {
                error(c, field, "'" + c.text() + "' is not " + Units.SIZE_EXPECTED + ", or a plain number of GiB");
                return null;
            }
        }

        /** A rate with its unit, or a plain number of MB/s (10^6 bytes a second). */
        private Long rate(Cell c, String field) {
            try {
                return Units.rateOrMBps(c.text());
            } catch (IllegalArgumentException | ArithmeticException e) {
                error(c, field, "'" + c.text() + "' is not " + Units.RATE_EXPECTED + ", or a plain number of MB/s");
                return null;
            }
        }

        private void error(Cell c, String field, String message) {
            error(c.line(), c.column(), field, message);
        }

        private void error(int line, int column, String field, String message) {
            errors.add(new ScenarioError(shown, line, column, field, message));
        }
    }

    private static final class Builder {
        final String name;
        final String host;
        final String site;
        final int line;
        final List<PlanDisk> disks = new ArrayList<>();
        final java.util.Set<String> diskNames = new java.util.HashSet<>();
        Integer wave;
        String irStart;

        Builder(String name, String host, String site, int line) {
            this.name = name;
            this.host = host;
            this.site = site;
            this.line = line;
        }
    }
}
