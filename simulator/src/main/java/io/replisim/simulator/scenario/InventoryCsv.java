package io.replisim.simulator.scenario;

import io.replisim.simulator.scenario.CsvCells.Cell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads an {@link Inventory}'s CSV file into hosts, VMs and disks; every bad cell is reported with its line and column. */
final class InventoryCsv {
    static final List<String> REQUIRED = List.of("host", "vm", "disk", "size", "churn");
    static final List<String> OPTIONAL = List.of("iosize", "hotspot");

    private final Path shown;
    private final List<ScenarioError> errors = new ArrayList<>();

    private InventoryCsv(Path shown) {
        this.shown = shown;
    }

    /**
     * The hosts of {@code csv} ({@code shown} names it in messages), built with {@code spec}'s
     * volume, memory and churn template.
     */
    static List<Site.Host> read(Path csv, Path shown, Inventory spec) throws ScenarioException {
        String text;
        try {
            text = Files.readString(csv, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(List.of(new ScenarioError(shown, 0, 0, "", "file not found")));
        } catch (IOException e) {
            throw new ScenarioException(List.of(new ScenarioError(shown, 0, 0, "", "cannot read the file: " + e.getMessage())));
        }
        InventoryCsv reader = new InventoryCsv(shown);
        List<Site.Host> hosts = reader.parse(text.replace("\uFEFF", ""), spec);
        if (!reader.errors.isEmpty()) {
            throw new ScenarioException(reader.errors);
        }
        return hosts;
    }

    private List<Site.Host> parse(String text, Inventory spec) {
        List<List<Cell>> rows;
        try {
            rows = CsvCells.rows(text);
        } catch (IOException e) {
            error(0, 0, "", "not a CSV file: " + firstLine(e.getMessage()));
            return List.of();
        }
        if (rows.isEmpty()) {
            error(1, 1, "", "the file is empty: expected a header " + String.join(",", REQUIRED) + " and a row per disk");
            return List.of();
        }
        Map<String, Integer> columns = header(rows.get(0));
        if (columns == null) {
            return List.of();
        }
        java.util.Set<String> hosts = new java.util.LinkedHashSet<>();
        Map<String, String> hostOfVm = new LinkedHashMap<>();
        Map<String, List<Site.Disk>> disksOfVm = new LinkedHashMap<>();
        Map<String, String> vmHost = new LinkedHashMap<>();
        for (List<Cell> row : rows.subList(1, rows.size())) {
            int line = row.get(0).line();
            if (row.size() != rows.get(0).size()) {
                error(line, 1, "", "expected " + rows.get(0).size() + " fields, as the header has, found " + row.size());
                continue;
            }
            Cell host = row.get(columns.get("host"));
            Cell vm = row.get(columns.get("vm"));
            Cell disk = row.get(columns.get("disk"));
            if (!name(host, "host") | !name(vm, "vm") | !name(disk, "disk")) {
                continue;
            }
            String earlier = vmHost.putIfAbsent(vm.text(), host.text());
            if (earlier != null && !earlier.equals(host.text())) {
                error(host, "host", "VM '" + vm.text() + "' is on host '" + earlier + "' in an earlier row");
                continue;
            }
            DataSize size = size(row.get(columns.get("size")), "size");
            DataRate rate = rate(row.get(columns.get("churn")));
            DataSize ioSize = columns.containsKey("iosize") ? size(row.get(columns.get("iosize")), "ioSize") : null;
            Double hotspot = columns.containsKey("hotspot") ? fraction(row.get(columns.get("hotspot")), "hotspot") : null;
            if (size == null || rate == null || columns.containsKey("iosize") && ioSize == null
                    || columns.containsKey("hotspot") && hotspot == null) {
                continue;
            }
            hostOfVm.put(vm.text(), host.text());
            hosts.add(host.text());
            disksOfVm.computeIfAbsent(vm.text(), v -> new ArrayList<>())
                    .add(new Site.Disk(disk.text(), size, rate.bytesPerSecond() == 0 ? null : churn(spec.churn(), rate, ioSize, hotspot)));
        }
        List<Site.Host> result = new ArrayList<>();
        for (String h : hosts) {
            List<Site.Vm> vms = new ArrayList<>();
            disksOfVm.forEach((vm, disks) -> {
                if (hostOfVm.get(vm).equals(h)) {
                    vms.add(new Site.Vm(vm, disks));
                }
            });
            result.add(new Site.Host(h, spec.volume(), spec.memory(), vms));
        }
        return result;
    }

    private Map<String, Integer> header(List<Cell> cells) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            String name = cells.get(i).text().toLowerCase(Locale.ROOT);
            if (!REQUIRED.contains(name) && !OPTIONAL.contains(name)) {
                error(cells.get(i), "", "unknown column '" + cells.get(i).text() + "'; expected "
                        + String.join(",", REQUIRED) + " and optionally ioSize, hotspot");
                return null;
            }
            if (columns.put(name, i) != null) {
                error(cells.get(i), "", "column '" + cells.get(i).text() + "' appears twice");
                return null;
            }
        }
        for (String required : REQUIRED) {
            if (!columns.containsKey(required)) {
                error(cells.get(0).line(), 1, "", "the header lacks the column '" + required + "'; expected "
                        + String.join(",", REQUIRED));
                return null;
            }
        }
        return columns;
    }

    private static Site.Churn churn(Site.Churn template, DataRate rate, DataSize ioSize, Double hotspot) {
        Site.Churn t = template != null ? template : new Site.Churn(null, null, null, null, null, null, null, null, null, null);
        return new Site.Churn(rate, t.profile(), ioSize != null ? ioSize : t.ioSize(), t.ioSizes(),
                hotspot != null ? hotspot : t.hotspot(), t.hotShare(), t.zipf(), t.hourly(), t.bursts(), t.series());
    }

    private boolean name(Cell c, String field) {
        if (c.text().isEmpty()) {
            error(c, field, "missing; expected a name");
            return false;
        }
        return true;
    }

    /** A size with its unit, or a plain number of GiB. */
    private DataSize size(Cell c, String field) {
        try {
            return new DataSize(Units.sizeOrGiB(c.text()));
        } catch (IllegalArgumentException | ArithmeticException e) {
            error(c, field, "'" + c.text() + "' is not " + Units.SIZE_EXPECTED + ", or a plain number of GiB");
            return null;
        }
    }

    /** A rate with its unit, or a plain number of MB/s (10^6 bytes a second, as profilers export churn). */
    private DataRate rate(Cell c) {
        try {
            return new DataRate(Units.rateOrMBps(c.text()));
        } catch (IllegalArgumentException | ArithmeticException e) {
            error(c, "churn", "'" + c.text() + "' is not " + Units.RATE_EXPECTED + ", or a plain number of MB/s");
            return null;
        }
    }

    private Double fraction(Cell c, String field) {
        try {
            double v = Double.parseDouble(c.text());
            if (v > 0 && v <= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        error(c, field, "'" + c.text() + "' is not a fraction above 0 and at most 1");
        return null;
    }

    private void error(Cell c, String field, String message) {
        error(c.line(), c.column(), field, message);
    }

    private void error(int line, int column, String field, String message) {
        errors.add(new ScenarioError(shown, line, column, field, message));
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return s == null ? "" : nl < 0 ? s : s.substring(0, nl);
    }
}
