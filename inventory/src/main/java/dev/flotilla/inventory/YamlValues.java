package dev.flotilla.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Turns YAML nodes into the plain values a configuration sees: String, Long, Double, Boolean, null, List, Map. */
final class YamlValues {
    private YamlValues() {}

    static Object toJava(Path file, Node node) {
        return switch (node) {
            case ScalarNode s -> scalar(file, s);
            case SequenceNode seq -> {
                List<Object> out = new ArrayList<>();
                for (Node n : seq.getValue()) {
                    out.add(toJava(file, n));
                }
                yield java.util.Collections.unmodifiableList(out);
            }
            case MappingNode m -> {
                Map<String, Object> out = new TreeMap<>();
                for (NodeTuple t : m.getValue()) {
                    if (!(t.getKeyNode() instanceof ScalarNode k)) {
                        throw InventoryException.at(file, t.getKeyNode().getStartMark(), "keys must be plain names");
                    }
                    out.put(k.getValue(), toJava(file, t.getValueNode()));
                }
                yield java.util.Collections.unmodifiableMap(out);
            }
            default -> throw InventoryException.at(file, node.getStartMark(), "unsupported YAML node");
        };
    }

    private static Object scalar(Path file, ScalarNode s) {
        Tag tag = s.getTag();
        String v = s.getValue();
        try {
            if (tag.equals(Tag.NULL)) {
                return null;
            }
            if (tag.equals(Tag.BOOL)) {
                return switch (v.toLowerCase(java.util.Locale.ROOT)) {
                    case "true", "yes", "on", "y" -> Boolean.TRUE;
                    default -> Boolean.FALSE;
                };
            }
            if (tag.equals(Tag.INT)) {
                return Long.decode(v.replace("_", "").replaceFirst("^0o", "0"));
            }
            if (tag.equals(Tag.FLOAT)) {
                return Double.valueOf(v.replace("_", ""));
            }
        } catch (NumberFormatException e) {
            throw InventoryException.at(file, s.getStartMark(), "cannot read number '" + v + "'");
        }
        return v;
    }
}
