package io.replisim.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML anchors and aliases ({@code &disks} ... {@code *disks}), which a fleet written by hand
 * uses to repeat a template, resolved by SnakeYAML into a tree Jackson can bind (Jackson's own
 * YAML parser reads an alias as its name). Duplicate keys stay an error. A fleet of many sites may
 * name its disks' template once per site, so up to 10,000 aliases may point at collections; what
 * bounds a malicious file ("billion laughs") is the size of the expanded tree, at most a million
 * values.
 */
final class Aliases {
    private Aliases() {}

    /** Whether {@code text} uses an alias (a cheap look at its events; a broken document says no and fails later, located). */
    static boolean used(String text) {
        try {
            for (Event e : new Yaml(options()).parse(new StringReader(text))) {
                if (e instanceof AliasEvent) {
                    return true;
                }
            }
        } catch (RuntimeException e) {
            return false;
        }
        return false;
    }

    static final int MAX_ALIASES = 10_000;
    static final int MAX_VALUES = 1_000_000;

    /** The document as a tree, aliases replaced by what they name. */
    static JsonNode resolve(String text) {
        Node root = new Yaml(options()).compose(new StringReader(text));
        return root == null ? JsonNodeFactory.instance.nullNode() : json(root, new int[1]);
    }

    /** How scenario files are read by SnakeYAML, here and where problems are located. */
    static LoaderOptions options() {
        LoaderOptions o = new LoaderOptions();
        o.setAllowDuplicateKeys(false);
        o.setMaxAliasesForCollections(MAX_ALIASES);
        return o;
    }

    private static JsonNode json(Node node, int[] values) {
        if (++values[0] > MAX_VALUES) {
            throw new IllegalArgumentException("its aliases expand to more than " + MAX_VALUES
                    + " values: write the repeated part fewer times, or use a fleet's count");
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node instanceof MappingNode map) {
            ObjectNode o = f.objectNode();
            for (NodeTuple t : map.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : String.valueOf(t.getKeyNode());
                o.set(key, json(t.getValueNode(), values));
            }
            return o;
        }
        if (node instanceof SequenceNode seq) {
            ArrayNode a = f.arrayNode();
            seq.getValue().forEach(n -> a.add(json(n, values)));
            return a;
        }
        ScalarNode s = (ScalarNode) node;
        Tag tag = s.getTag();
        String v = s.getValue();
        if (Tag.NULL.equals(tag)) {
            return f.nullNode();
        }
        if (Tag.BOOL.equals(tag)) {
            return f.booleanNode(Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT)));
        }
        if (Tag.INT.equals(tag)) {
            try {
                return f.numberNode(new BigInteger(v.replace("_", "")));
            } catch (NumberFormatException e) {
                return f.textNode(v);
            }
        }
        if (Tag.FLOAT.equals(tag)) {
            try {
                return f.numberNode(new BigDecimal(v.replace("_", "")));
            } catch (NumberFormatException e) {
                return f.textNode(v);
            }
        }
        return f.textNode(v);
    }
}
