package dev.flotilla.inventory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads an inventory in Ansible's YAML shape:
 *
 * <pre>
 * all:
 *   vars: { env: prod }
 *   hosts:
 *     web-1: { address: 10.0.0.1, port: 22, tags: [canary], host_key: "ssh-ed25519 AAAA..." }
 *   children:
 *     db:
 *       hosts: { db-1: { ansible_host: 10.0.0.9 } }
 * </pre>
 *
 * Variables merge like Ansible's: {@code all}, then groups by depth (children win over parents,
 * names break ties), then the host's own. The connection keys ({@code address}/{@code ansible_host},
 * {@code port}/{@code ansible_port}, {@code user}/{@code ansible_user}, {@code host_key}, {@code tags})
 * may therefore come from any level.
 */
public final class InventoryLoader {

    private static final Set<String> GROUP_KEYS = Set.of("hosts", "vars", "children");

    private final Path file;
    /** Group name to its depth below {@code all}; the deepest occurrence counts. */
    private final Map<String, Integer> groupDepth = new TreeMap<>();
    private final Map<String, Map<String, Located>> groupVars = new TreeMap<>();
    private final Map<String, Set<String>> hostGroups = new LinkedHashMap<>();
    private final Map<String, Map<String, Located>> hostVars = new LinkedHashMap<>();
    private final Map<String, Node> hostNodes = new LinkedHashMap<>();

    /** A variable's value with where it was written, for error messages. */
    private record Located(Object value, Node node, Path file) {}

    private InventoryLoader(Path file) {
        this.file = file;
    }

    public static Inventory load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InventoryException(file + ": inventory file not found");
        } catch (IOException e) {
            throw new InventoryException(file + ": cannot read inventory: " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(file, text, dir);
    }

    /** Parses inventory text alone, without looking for {@code group_vars/} and {@code host_vars/}. */
    public static Inventory parse(Path file, String yamlText) {
        return parse(file, yamlText, null);
    }

    private static Node compose(Path file, String yamlText) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        Node root;
        try (Reader reader = new java.io.StringReader(yamlText)) {
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            throw InventoryException.at(file, e.getProblemMark(), "invalid YAML: " + e.getProblem());
        } catch (IOException | RuntimeException e) {
            throw new InventoryException(file + ": invalid YAML: " + e.getMessage(), e);
        }
        return root;
    }

    private static Inventory parse(Path file, String yamlText, Path varsDir) {
        Node root = compose(file, yamlText);
        if (root == null) {
            throw new InventoryException(file + ": the inventory is empty; expected 'all:' with 'hosts:'");
        }
        return new InventoryLoader(file).read(root, varsDir);
    }

    private Inventory read(Node root, Path varsDir) {
        MappingNode top = mapping(root, "the inventory");
        for (NodeTuple t : top.getValue()) {
            String group = key(t);
            // Ansible treats top-level groups other than 'all' as children of 'all'.
            readGroup(group, t.getValueNode(), group.equals("all") ? 0 : 1);
        }
        if (hostGroups.isEmpty()) {
            throw InventoryException.at(file, root.getStartMark(), "the inventory declares no hosts");
        }
        if (varsDir != null) {
            readVarsFolders(varsDir);
        }
        List<Host> hosts = new ArrayList<>();
        for (String name : hostGroups.keySet()) {
            hosts.add(toHost(name));
        }
        return new Inventory(hosts);
    }

    private void readGroup(String group, Node node, int depth) {
        groupDepth.merge(group, depth, Math::max);
        if (isNull(node)) {
            return;
        }
        MappingNode m = mapping(node, "group '" + group + "'");
        for (NodeTuple t : m.getValue()) {
            String k = key(t);
            Node v = t.getValueNode();
            switch (k) {
                case "hosts" -> readHosts(group, v);
                case "vars" -> groupVars.computeIfAbsent(group, g -> new LinkedHashMap<>()).putAll(vars(v, "vars of group '" + group + "'"));
                case "children" -> {
                    if (isNull(v)) {
                        break;
                    }
                    for (NodeTuple c : mapping(v, "children of group '" + group + "'").getValue()) {
                        String child = key(c);
                        checkGroupName(child, c.getKeyNode());
                        readGroup(child, c.getValueNode(), depth + 1);
                        // Members of a child group are members of the parent too.
                        membersOfChildren.computeIfAbsent(group, g -> new TreeSet<>()).add(child);
                    }
                }
                default -> throw InventoryException.at(file, t.getKeyNode().getStartMark(),
                        "unknown key '" + k + "' in group '" + group + "'; expected one of " + new TreeSet<>(GROUP_KEYS));
            }
        }
    }

    private final Map<String, Set<String>> membersOfChildren = new TreeMap<>();

    private void readHosts(String group, Node node) {
        if (isNull(node)) {
            return;
        }
        for (NodeTuple t : mapping(node, "hosts of group '" + group + "'").getValue()) {
            String name = key(t);
            Node keyNode = t.getKeyNode();
            try {
                new Host(name, "x", 1, "", java.util.Optional.empty(), Set.of(), Set.of(), new TreeMap<>());
            } catch (IllegalArgumentException e) {
                throw InventoryException.at(file, keyNode.getStartMark(), e.getMessage());
            }
            hostGroups.computeIfAbsent(name, n -> new TreeSet<>()).add(group);
            hostNodes.putIfAbsent(name, keyNode);
            Map<String, Located> own = hostVars.computeIfAbsent(name, n -> new LinkedHashMap<>());
            if (!isNull(t.getValueNode())) {
                own.putAll(vars(t.getValueNode(), "host '" + name + "'"));
            }
        }
    }

    /**
     * Ansible's {@code group_vars/<group>.yml} and {@code host_vars/<host>.yml} beside the inventory (or a
     * folder of such files per group or host); they win over the variables written in the inventory.
     */
    private void readVarsFolders(Path dir) {
        for (String group : groupDepth.keySet()) {
            for (Path f : varsFiles(dir.resolve("group_vars"), group)) {
                groupVars.computeIfAbsent(group, g -> new LinkedHashMap<>()).putAll(readVarsFile(f));
            }
        }
        for (String host : hostGroups.keySet()) {
            for (Path f : varsFiles(dir.resolve("host_vars"), host)) {
                hostVars.get(host).putAll(readVarsFile(f));
            }
        }
    }

    private static List<Path> varsFiles(Path folder, String name) {
        List<Path> files = new ArrayList<>();
        for (String ext : List.of("", ".yml", ".yaml")) {
            Path p = folder.resolve(name + ext);
            if (Files.isRegularFile(p)) {
                files.add(p);
            } else if (ext.isEmpty() && Files.isDirectory(p)) {
                try (var list = Files.list(p)) {
                    list.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new InventoryException(p + ": cannot list: " + e.getMessage(), e);
                }
            }
        }
        return files;
    }

    private static Map<String, Located> readVarsFile(Path f) {
        try {
            Node node = compose(f, Files.readString(f, StandardCharsets.UTF_8));
            return new InventoryLoader(f).vars(node, "variables file");
        } catch (IOException e) {
            throw new InventoryException(f + ": cannot read: " + e.getMessage(), e);
        }
    }

    private Host toHost(String name) {
        Set<String> groups = new TreeSet<>(Set.of("all"));
        for (String g : hostGroups.get(name)) {
            groups.add(g);
        }
        // Close over parents: a host in 'web' is also in every group that lists 'web' as a child.
        boolean grew = true;
        while (grew) {
            grew = false;
            for (var e : membersOfChildren.entrySet()) {
                if (!groups.contains(e.getKey()) && e.getValue().stream().anyMatch(groups::contains)) {
                    groups.add(e.getKey());
                    grew = true;
                }
            }
        }
        List<String> order = new ArrayList<>(groups);
        order.sort(Comparator.comparingInt((String g) -> groupDepth.getOrDefault(g, 0)).thenComparing(g -> g));
        Map<String, Located> merged = new LinkedHashMap<>();
        for (String g : order) {
            merged.putAll(groupVars.getOrDefault(g, Map.of()));
        }
        merged.putAll(hostVars.get(name));
        return build(name, groups, merged);
    }

    private Host build(String name, Set<String> groups, Map<String, Located> merged) {
        Located address = first(merged, "address", "ansible_host");
        Located port = first(merged, "port", "ansible_port");
        Located user = first(merged, "user", "ansible_user");
        Located hostKey = merged.remove("host_key");
        Located tags = merged.remove("tags");
        TreeMap<String, Object> vars = new TreeMap<>();
        merged.forEach((k, v) -> vars.put(k, v.value()));
        try {
            return new Host(name,
                    address == null ? name : string(address, "address"),
                    port == null ? Host.DEFAULT_PORT : port(port),
                    user == null ? "root" : string(user, "user"),
                    java.util.Optional.ofNullable(hostKey).map(k -> hostKeyLine(k)),
                    tags == null ? Set.<String>of() : tagSet(tags),
                    groups,
                    vars);
        } catch (IllegalArgumentException e) {
            throw InventoryException.at(file, hostNodes.get(name).getStartMark(), e.getMessage());
        }
    }

    private static Located first(Map<String, Located> vars, String key, String ansibleKey) {
        Located a = vars.remove(key);
        Located b = vars.remove(ansibleKey);
        return a != null ? a : b;
    }

    private String string(Located v, String what) {
        if (v.value() instanceof String s && !s.isBlank()) {
            return s;
        }
        if (v.value() instanceof Long || v.value() instanceof Double) {
            return String.valueOf(v.value());
        }
        throw InventoryException.at(v.file(), v.node().getStartMark(), what + " must be a non-empty string");
    }

    private int port(Located v) {
        Object p = v.value();
        long n;
        if (p instanceof Long l) {
            n = l;
        } else if (p instanceof String s && s.matches("\\d{1,5}")) {
            n = Long.parseLong(s);
        } else {
            throw InventoryException.at(v.file(), v.node().getStartMark(), "port must be a number, got '" + p + "'");
        }
        if (n < 1 || n > 65535) {
            throw InventoryException.at(v.file(), v.node().getStartMark(), "port " + n + " is outside 1..65535");
        }
        return (int) n;
    }

    private String hostKeyLine(Located v) {
        String s = string(v, "host_key").trim();
        String[] parts = s.split("\\s+");
        if (parts.length < 2 || !parts[0].startsWith("ssh-") && !parts[0].startsWith("ecdsa-")) {
            throw InventoryException.at(v.file(), v.node().getStartMark(),
                    "host_key must be an OpenSSH public key line like 'ssh-ed25519 AAAA...'");
        }
        return s;
    }

    private Set<String> tagSet(Located v) {
        Set<String> out = new TreeSet<>();
        if (v.value() instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof String s) || !s.matches("[A-Za-z0-9._-]+")) {
                    throw InventoryException.at(v.file(), v.node().getStartMark(),
                            "tags must be a list of words (letters, digits, '.', '_', '-'), got '" + o + "'");
                }
                out.add(s);
            }
            return out;
        }
        throw InventoryException.at(v.file(), v.node().getStartMark(), "tags must be a list, e.g. [canary, web]");
    }

    private Map<String, Located> vars(Node node, String what) {
        Map<String, Located> out = new LinkedHashMap<>();
        if (isNull(node)) {
            return out;
        }
        for (NodeTuple t : mapping(node, what).getValue()) {
            out.put(key(t), new Located(YamlValues.toJava(file, t.getValueNode()), t.getValueNode(), file));
        }
        return out;
    }

    private void checkGroupName(String name, Node node) {
        if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
            throw InventoryException.at(file, node.getStartMark(), "invalid group name '" + name + "'");
        }
    }

    private MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode m) {
            Set<String> keys = new java.util.HashSet<>();
            for (NodeTuple t : m.getValue()) {
                if (!keys.add(key(t))) {
                    throw InventoryException.at(file, t.getKeyNode().getStartMark(), "duplicate key '" + key(t) + "'");
                }
            }
            return m;
        }
        throw InventoryException.at(file, node.getStartMark(), what + " must be a mapping (key: value)");
    }

    private String key(NodeTuple t) {
        if (t.getKeyNode() instanceof ScalarNode s && !s.getValue().isEmpty()) {
            return s.getValue();
        }
        throw InventoryException.at(file, t.getKeyNode().getStartMark(), "keys must be plain names");
    }

    private static boolean isNull(Node node) {
        return node == null || node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

}
