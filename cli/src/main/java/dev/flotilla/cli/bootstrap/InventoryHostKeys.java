package dev.flotilla.cli.bootstrap;

import dev.flotilla.cli.bootstrap.BootstrapException.Kind;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.inventory.InventoryException;
import dev.flotilla.inventory.InventoryLoader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Records an agent's host key (and port) for one host of an inventory file by editing the YAML text in
 * place: only the values of {@code host_key} and {@code port} change or are added, every other byte
 * (comments, order, quoting, other hosts) stays as it was. The result is parsed again before it is
 * written, and written atomically (temporary file, fsync, rename).
 */
final class InventoryHostKeys {

    private InventoryHostKeys() {}

    /** One replacement of the text range [start, end). */
    private record Edit(int start, int end, String text) {}

    /** The inventory host to record: {@code name} when given, else the one whose name or address is {@code targetHost}. */
    static String resolveName(Path file, Optional<String> name, String targetHost) throws BootstrapException {
        Inventory inv = load(file);
        if (name.isPresent()) {
            if (inv.host(name.get()).isEmpty()) {
                throw new BootstrapException(Kind.INVALID_INPUT, file + ": no host named '" + name.get() + "' (hosts: "
                        + String.join(", ", inv.names()) + "); add it first, with its address");
            }
            return name.get();
        }
        List<String> matches = inv.hosts().stream()
                .filter(h -> h.name().equals(targetHost) || h.address().equals(targetHost)).map(Host::name).toList();
        if (matches.size() != 1) {
            throw new BootstrapException(Kind.INVALID_INPUT, file + ": " + (matches.isEmpty() ? "no host" : "several hosts ("
                    + String.join(", ", matches) + ")") + " named or addressed '" + targetHost + "'; say which with --name NAME");
        }
        return matches.getFirst();
    }

    /** Sets {@code host_key} and {@code port} of host {@code name}; returns whether the file changed. */
    static boolean record(Path file, String name, String hostKeyLine, int port) throws BootstrapException, IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Host before = load(file).host(name).orElseThrow();
        Node root = new Yaml().compose(new StringReader(text));
        List<NodeTuple> entries = new ArrayList<>();
        if (root instanceof MappingNode top) {
            for (NodeTuple group : top.getValue()) {
                collect(group.getValueNode(), name, entries);
            }
        }
        NodeTuple entry = entries.stream().filter(t -> has(t, Set.of("host_key"))).findFirst()
                .or(() -> entries.stream().filter(t -> has(t, Set.of("address", "ansible_host", "port", "ansible_port"))).findFirst())
                .or(() -> entries.stream().findFirst())
                .orElseThrow(() -> new BootstrapException(Kind.INVALID_INPUT, file + ": host '" + name
                        + "' is not declared under a 'hosts:' mapping of this file (only in host_vars?); add host_key there by hand"));
        String keyValue = quoted(hostKeyLine);
        List<Edit> edits = new ArrayList<>();
        List<String> added = new ArrayList<>();
        if (entry.getValueNode() instanceof MappingNode m) {
            Optional<NodeTuple> key = find(m, Set.of("host_key"));
            Optional<NodeTuple> portKey = find(m, Set.of("port", "ansible_port"));
            if (key.isPresent()) {
                edits.add(replace(key.get().getValueNode(), keyValue));
            } else {
                added.add("host_key: " + keyValue);
            }
            if (portKey.isPresent()) {
                edits.add(replace(portKey.get().getValueNode(), Integer.toString(port)));
            } else if (before.port() != port) {
                added.add(0, "port: " + port);
            }
            if (!added.isEmpty()) {
                edits.add(addTo(text, m, added));
            }
        } else if (entry.getValueNode() instanceof ScalarNode s && s.getValue().isEmpty()) {
            // `web-1:` with nothing after it.
            int colon = text.indexOf(':', entry.getKeyNode().getEndMark().getIndex());
            String map = (before.port() != port ? "port: " + port + ", " : "") + "host_key: " + keyValue;
            edits.add(new Edit(colon + 1, s.getEndMark().getIndex(), " { " + map + " }"));
        } else {
            throw new BootstrapException(Kind.INVALID_INPUT, file + ":" + (entry.getValueNode().getStartMark().getLine() + 1)
                    + ": host '" + name + "' is not a mapping; cannot add host_key to it");
        }
        String updated = apply(text, edits);
        if (updated.equals(text)) {
            return false;
        }
        Host after;
        try {
            after = InventoryLoader.parse(file, updated).host(name).orElseThrow();
        } catch (InventoryException e) {
            throw new IllegalStateException("editing " + file + " would make it invalid (" + e.getMessage() + "); it was left as it was", e);
        }
        if (!after.hostKey().equals(Optional.of(hostKeyLine)) || after.port() != port) {
            throw new IllegalStateException("editing " + file + " did not give host '" + name + "' the new key and port; it was left as it was");
        }
        writeAtomically(file, updated);
        return true;
    }

    private static void collect(Node group, String name, List<NodeTuple> into) {
        if (!(group instanceof MappingNode g)) {
            return;
        }
        find(g, Set.of("hosts")).map(NodeTuple::getValueNode).filter(MappingNode.class::isInstance).ifPresent(hosts -> {
            for (NodeTuple h : ((MappingNode) hosts).getValue()) {
                if (h.getKeyNode() instanceof ScalarNode k && k.getValue().equals(name)) {
                    into.add(h);
                }
            }
        });
        find(g, Set.of("children")).map(NodeTuple::getValueNode).filter(MappingNode.class::isInstance).ifPresent(children -> {
            for (NodeTuple c : ((MappingNode) children).getValue()) {
                collect(c.getValueNode(), name, into);
            }
        });
    }

    private static boolean has(NodeTuple hostEntry, Set<String> keys) {
        return hostEntry.getValueNode() instanceof MappingNode m && find(m, keys).isPresent();
    }

    private static Optional<NodeTuple> find(MappingNode m, Set<String> keys) {
        return m.getValue().stream().filter(t -> t.getKeyNode() instanceof ScalarNode k && keys.contains(k.getValue())).findFirst();
    }

    private static Edit replace(Node value, String text) {
        return new Edit(value.getStartMark().getIndex(), value.getEndMark().getIndex(), text);
    }

    /** New entries at the end of a mapping, in its own style: `, k: v` inside braces, or lines at its indentation. */
    private static Edit addTo(String text, MappingNode m, List<String> entries) {
        if (m.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
            if (m.getValue().isEmpty()) {
                int brace = text.lastIndexOf('}', m.getEndMark().getIndex() - 1);
                return new Edit(brace, brace, " " + String.join(", ", entries) + " ");
            }
            int last = m.getValue().getLast().getValueNode().getEndMark().getIndex();
            return new Edit(last, last, ", " + String.join(", ", entries));
        }
        String indent = " ".repeat(m.getValue().getFirst().getKeyNode().getStartMark().getColumn());
        int end = m.getValue().getLast().getValueNode().getEndMark().getIndex();
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        int eol = text.indexOf('\n', end);
        int at = eol < 0 ? text.length() : eol;
        StringBuilder lines = new StringBuilder();
        for (String e : entries) {
            lines.append('\n').append(indent).append(e);
        }
        return new Edit(at, at, lines.toString());
    }

    private static String apply(String text, List<Edit> edits) {
        StringBuilder b = new StringBuilder(text);
        edits.stream().sorted(Comparator.comparingInt(Edit::start).reversed()).forEach(e -> b.replace(e.start(), e.end(), e.text()));
        return b.toString();
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static Inventory load(Path file) throws BootstrapException {
        try {
            return InventoryLoader.load(file);
        } catch (InventoryException e) {
            throw new BootstrapException(Kind.INVALID_INPUT, e.getMessage(), e);
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".flotilla-tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the default permissions stay.
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
