package io.replisim.simulator.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioError;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A sweep (docs/sweeps.md): a base scenario, a grid of values for some of its fields (each by
 * its path, such as {@code site.uplink.bandwidth}) and seeds. Its points are every combination
 * of the grid's values (the first axis varying slowest, as nested loops) times every seed; each
 * point is one run, a {@link SweepTask}.
 *
 * @param file     the sweep file
 * @param name     its name (the {@code name} field, or the file's name without extension)
 * @param scenario the base scenario file
 * @param axes     the grid, in the file's order
 * @param seeds    the seeds, each point runs once with each
 * @param tasks    every point, in point order, its scenario bound and validated when the sweep was loaded
 */
public record Sweep(Path file, String name, Path scenario, List<Axis> axes, List<Long> seeds, List<SweepTask> tasks) {

    /** One field of the grid: its path in the scenario, its values, and the line it is on in the sweep file. */
    public record Axis(String path, List<JsonNode> values, int line, int column) {
        /** A value as a result row shows it: a scalar as written, anything else as compact JSON. */
        public String label(int i) {
            JsonNode v = values.get(i);
            return v.isValueNode() ? v.asText() : v.toString();
        }
    }

    private static final Set<String> FIELDS = Set.of("name", "scenario", "grid", "seeds");
    private static final int MAX_POINTS = 100_000;
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+|\\*)]");
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)((?:\\[(?:\\d+|\\*)])*)");
    private static final ObjectMapper YAML_OUT = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());

    /** Reads and checks a sweep file: every problem is located (file, line, column, field); every point's scenario is valid. */
    public static Sweep load(Path file) throws ScenarioException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw error(file, 0, 0, "", "file not found");
        } catch (IOException e) {
            throw error(file, 0, 0, "", "cannot read the file: " + e.getMessage());
        }
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (RuntimeException e) {
            throw error(file, 0, 0, "", "not a valid YAML document: " + e.getMessage().replace('\n', ' '));
        }
        if (!(root instanceof MappingNode map)) {
            throw error(file, 1, 1, "", "expected a sweep: scenario, grid and seeds (docs/sweeps.md)");
        }
        List<ScenarioError> errors = new ArrayList<>();
        String name = null;
        Path scenario = null;
        List<Axis> axes = new ArrayList<>();
        List<Long> seeds = null;
        Node scenarioNode = map;
        for (NodeTuple t : map.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            Node value = t.getValueNode();
            switch (key) {
                case "name" -> name = scalar(file, value, "name", errors);
                case "scenario" -> {
                    String s = scalar(file, value, "scenario", errors);
                    if (s != null) {
                        scenario = file.toAbsolutePath().getParent().resolve(s).normalize();
                        scenarioNode = value;
                    }
                }
                case "grid" -> axes = axes(file, value, jsonTree(text).get("grid"), errors);
                case "seeds" -> seeds = seeds(file, value, errors);
                default -> errors.add(at(file, t.getKeyNode(), key, "unknown field: expected one of " + new java.util.TreeSet<>(FIELDS)));
            }
        }
        if (scenario == null && errors.isEmpty()) {
            errors.add(at(file, map, "scenario", "missing: the base scenario file, relative to this file"));
        }
        if (!errors.isEmpty()) {
            throw new ScenarioException(errors);
        }
        ScenarioLoader loader = new ScenarioLoader();
        Scenario base;
        try {
            base = loader.load(scenario);
        } catch (ScenarioException e) {
            List<ScenarioError> all = new ArrayList<>();
            all.add(at(file, scenarioNode, "scenario", "the base scenario is not valid (below)"));
            all.addAll(e.errors());
            throw new ScenarioException(all);
        }
        if (seeds == null) {
            seeds = List.of(base.seed());
        }
        if (name == null) {
            String f = file.getFileName().toString();
            name = f.replaceFirst("\\.ya?ml$", "");
        }
        // every point's scenario must bind and validate before anything runs; the points are kept
        Sweep grid = new Sweep(file, name, scenario, List.copyOf(axes), List.copyOf(seeds), List.of());
        return new Sweep(file, name, scenario, grid.axes(), grid.seeds(), grid.points());
    }

    /** How many points (runs) the sweep has. */
    public long size() {
        long n = seeds.size();
        for (Axis a : axes) {
            n *= a.values().size();
        }
        return n;
    }

    /** Every point as a task, in point order; each point's scenario bound and validated. */
    private List<SweepTask> points() throws ScenarioException {
        if (size() > MAX_POINTS) {
            throw error(file, 0, 0, "grid", size() + " points: at most " + MAX_POINTS + " in one sweep");
        }
        ScenarioLoader loader = new ScenarioLoader();
        JsonNode base;
        try {
            base = loader.tree(Files.readString(scenario, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw error(file, 0, 0, "scenario", "cannot read " + scenario + ": " + e.getMessage());
        }
        List<SweepTask> tasks = new ArrayList<>();
        int combinations = (int) (size() / seeds.size());
        List<ScenarioError> errors = new ArrayList<>();
        for (int c = 0; c < combinations; c++) {
            int[] choice = choice(c);
            JsonNode tree = base.deepCopy();
            List<String> labels = new ArrayList<>();
            boolean ok = true;
            for (int a = 0; a < axes.size(); a++) {
                Axis axis = axes.get(a);
                labels.add(axis.label(choice[a]));
                String problem = set(tree, axis.path(), axis.values().get(choice[a]));
                if (problem != null) {
                    errors.add(new ScenarioError(file, axis.line(), axis.column(), "grid." + axis.path(), problem));
                    ok = false;
                }
            }
            if (!ok) {
                break; // a path the scenario lacks fails for every point alike
            }
            String text;
            try {
                text = YAML_OUT.writeValueAsString(tree);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            try {
                loader.parse(scenario, text);
            } catch (ScenarioException e) {
                ScenarioError first = e.errors().get(0);
                Axis blamed = blame(first.fieldPath());
                String what = (first.fieldPath() == null || first.fieldPath().isEmpty() ? "" : first.fieldPath() + ": ") + first.message();
                errors.add(new ScenarioError(file, blamed == null ? 0 : blamed.line(), blamed == null ? 0 : blamed.column(),
                        blamed == null ? "grid" : "grid." + blamed.path(), "the point " + String.join(", ", labels) + " is not a valid scenario: " + what));
                if (errors.size() >= 20) {
                    break;
                }
                continue;
            }
            String digest = sha256(text);
            for (int s = 0; s < seeds.size(); s++) {
                tasks.add(new SweepTask(c * seeds.size() + s, List.copyOf(labels), seeds.get(s), scenario.toString(), text, digest));
            }
        }
        if (!errors.isEmpty()) {
            throw new ScenarioException(errors);
        }
        return tasks;
    }

    /** The axis a problem at {@code fieldPath} of a point's scenario comes from (the longest path it starts with). */
    private Axis blame(String fieldPath) {
        Axis best = null;
        String field = fieldPath == null ? "" : fieldPath.replaceAll("\\[\\d+]", "[*]");
        for (Axis a : axes) {
            String p = a.path().replaceAll("\\[\\d+]", "[*]");
            if ((field.equals(p) || field.startsWith(p + ".") || field.startsWith(p + "[") || p.startsWith(field))
                    && (best == null || a.path().length() > best.path().length())) {
                best = a;
            }
        }
        return best != null ? best : axes.isEmpty() ? null : axes.get(0);
    }

    private int[] choice(int combination) {
        int[] choice = new int[axes.size()];
        for (int a = axes.size() - 1; a >= 0; a--) {
            int n = axes.get(a).values().size();
            choice[a] = combination % n;
            combination /= n;
        }
        return choice;
    }

    /** Sets the field at {@code path} (a {@code [*]} sets it in every element); a problem's description, or null. */
    static String set(JsonNode tree, String path, JsonNode value) {
        String[] segments = path.split("\\.");
        List<JsonNode> at = List.of(tree);
        StringBuilder walked = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            Matcher m = SEGMENT.matcher(segments[i]);
            if (!m.matches()) {
                return "'" + segments[i] + "' is not a field name (letters, digits, _), optionally with [index] or [*]";
            }
            String field = m.group(1);
            boolean last = i == segments.length - 1 && m.group(2).isEmpty();
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : at) {
                if (!(n instanceof ObjectNode o)) {
                    return "'" + walked + "' is not a mapping in the scenario";
                }
                if (last) {
                    o.set(field, value.deepCopy());
                } else if (o.has(field)) {
                    next.add(o.get(field));
                } else {
                    return "the scenario has no '" + walked + (walked.length() > 0 ? "." : "") + field + "'";
                }
            }
            walked.append(walked.length() > 0 ? "." : "").append(field);
            Matcher index = INDEX.matcher(m.group(2));
            while (index.find()) {
                List<JsonNode> elements = new ArrayList<>();
                for (JsonNode n : next) {
                    if (!(n instanceof ArrayNode list)) {
                        return "'" + walked + "' is not a list in the scenario";
                    }
                    if (index.group(1).equals("*")) {
                        list.forEach(elements::add);
                    } else {
                        int k = Integer.parseInt(index.group(1));
                        if (k >= list.size()) {
                            return "'" + walked + "' has " + list.size() + " elements: no [" + k + "]";
                        }
                        elements.add(list.get(k));
                    }
                }
                walked.append('[').append(index.group(1)).append(']');
                next = elements;
            }
            if (!last && i == segments.length - 1) {
                return "'" + path + "' names list elements, not a field: add the field to set in them";
            }
            at = next;
        }
        return null;
    }

    private static JsonNode jsonTree(String text) {
        try {
            return new YAMLMapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("SnakeYAML read it: " + e.getMessage(), e);
        }
    }

    private static List<Axis> axes(Path file, Node value, JsonNode json, List<ScenarioError> errors) {
        List<Axis> axes = new ArrayList<>();
        if (!(value instanceof MappingNode grid) || grid.getValue().isEmpty()) {
            errors.add(at(file, value, "grid", "expected fields of the scenario by path, each with a list of values,"
                    + " e.g. site.uplink.bandwidth: [20Mbps, 50Mbps]"));
            return axes;
        }
        for (NodeTuple t : grid.getValue()) {
            String path = ((ScalarNode) t.getKeyNode()).getValue();
            if (!(t.getValueNode() instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
                errors.add(at(file, t.getValueNode(), "grid." + path, "expected a list of one or more values"));
                continue;
            }
            if (axes.stream().anyMatch(a -> a.path().equals(path))) {
                errors.add(at(file, t.getKeyNode(), "grid." + path, "this field is in the grid twice"));
                continue;
            }
            List<JsonNode> values = new ArrayList<>();
            json.get(path).forEach(values::add);
            axes.add(new Axis(path, List.copyOf(values), t.getKeyNode().getStartMark().getLine() + 1,
                    t.getKeyNode().getStartMark().getColumn() + 1));
        }
        return axes;
    }

    private static List<Long> seeds(Path file, Node value, List<ScenarioError> errors) {
        List<Long> seeds = new ArrayList<>();
        if (value instanceof ScalarNode s) {
            try {
                int n = Integer.parseInt(s.getValue());
                if (n < 1 || n > 10_000) {
                    throw new NumberFormatException();
                }
                // a count: seeds 1..n, the same whatever the scenario's own
                for (int i = 1; i <= n; i++) {
                    seeds.add((long) i);
                }
                return seeds;
            } catch (NumberFormatException e) {
                errors.add(at(file, value, "seeds", "'" + s.getValue() + "': expected a count (1 to 10000) or a list of seeds"));
                return null;
            }
        }
        if (value instanceof SequenceNode seq && !seq.getValue().isEmpty()) {
            for (Node n : seq.getValue()) {
                try {
                    long seed = Long.parseLong(((ScalarNode) n).getValue());
                    if (seeds.contains(seed)) {
                        errors.add(at(file, n, "seeds", seed + " is listed twice"));
                    }
                    seeds.add(seed);
                } catch (RuntimeException e) {
                    errors.add(at(file, n, "seeds", "expected a whole number"));
                }
            }
            return seeds;
        }
        errors.add(at(file, value, "seeds", "expected a count (1 to 10000) or a list of seeds"));
        return null;
    }

    private static String scalar(Path file, Node value, String field, List<ScenarioError> errors) {
        if (value instanceof ScalarNode s && !s.getValue().isBlank()) {
            return s.getValue();
        }
        errors.add(at(file, value, field, "expected a text"));
        return null;
    }

    private static ScenarioError at(Path file, Node node, String field, String message) {
        return new ScenarioError(file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1, field, message);
    }

    private static ScenarioException error(Path file, int line, int column, String field, String message) {
        return new ScenarioException(List.of(new ScenarioError(file, line, column, field, message)));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
