package io.replisim.simulator.scenario;

import java.io.StringReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Finds where a field path such as {@code site.hosts[0].vms[1].name} sits in a YAML text, so
 * problems found after binding are still reported with a line and column. A path that does not
 * exist (a missing field) resolves to its nearest existing ancestor.
 */
public final class YamlLocator {
    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");
    private final Node root;

    public YamlLocator(String text) {
        Node parsed;
        try {
            parsed = new Yaml(Aliases.options()).compose(new StringReader(text));
        } catch (RuntimeException e) {
            parsed = null; // the text bound already, so this is unexpected; report without location
        }
        this.root = parsed;
    }

    /** Returns {line, column}, 1-based, of the value at {@code path}, or {0, 0} when unknown. */
    public int[] locate(String path) {
        return locate(path, false);
    }

    /** Like {@link #locate(String)} but points at the field's key (for unknown or duplicate fields). */
    public int[] locateKey(String path) {
        return locate(path, true);
    }

    /** The text of the scalar at exactly {@code path} as the file writes it, or null (missing, or not a scalar). */
    public String scalar(String path) {
        Node[] found = walk(path);
        return found != null && found[2] == null && found[0] instanceof ScalarNode s ? s.getValue() : null;
    }

    private int[] locate(String path, boolean key) {
        Node[] found = walk(path);
        if (found == null) {
            return new int[] {0, 0};
        }
        Node node = found[0];
        Node keyOfNode = found[1];
        // Point at the value for scalars, at the key for mappings and lists (what a reader looks for).
        Node at = keyOfNode != null && (key || !(node instanceof ScalarNode)) ? keyOfNode : node;
        return new int[] {at.getStartMark().getLine() + 1, at.getStartMark().getColumn() + 1};
    }

    /**
     * {node, its key, a non-null marker if the path ended early} for the deepest existing node
     * along {@code path}, or null without a parsed document.
     */
    private Node[] walk(String path) {
        if (root == null) {
            return null;
        }
        Node node = root;
        Node keyOfNode = null;
        Matcher m = SEGMENT.matcher(path == null ? "" : path);
        while (m.find()) {
            Node next = null;
            Node nextKey = null;
            if (m.group(1) != null && node instanceof MappingNode map) {
                for (NodeTuple t : map.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(m.group(1))) {
                        next = t.getValueNode();
                        nextKey = k;
                    }
                }
            } else if (m.group(2) != null && node instanceof SequenceNode seq) {
                int i = Integer.parseInt(m.group(2));
                if (i < seq.getValue().size()) {
                    next = seq.getValue().get(i);
                }
            }
            if (next == null) {
                return new Node[] {node, keyOfNode, node};
            }
            node = next;
            keyOfNode = nextKey;
        }
        return new Node[] {node, keyOfNode, null};
    }
}
