package dev.flotilla.deploy.plan;

import dev.flotilla.inventory.HostSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a plan document (YAML; JSON is YAML too, so the REST API's JSON bodies go through the same code):
 *
 * <pre>
 * name: careful
 * failureBudget: 10%        # over the whole rollout (count or percent)
 * maxUnavailable: 2
 * rollback: stage           # failed-hosts | stage | rollout
 * priorities: ["@canary", "web-*"]
 * stages:
 *   - name: canary
 *     select: "@canary"     # host selector; default: every remaining target
 *     count: 1              # or percent: 10; default: all eligible
 *     batch: 1              # hosts switched together (count or percent)
 *     failureBudget: 0      # default: no limit of its own (the plan's budget applies)
 *     healthGate: 30s       # checks must hold this long
 *     pause: 1m
 *     approval: true        # wait for an operator before this stage
 * </pre>
 */
public final class PlanLoader {

    private static final Set<String> PLAN_KEYS = Set.of("name", "stages", "failureBudget", "maxUnavailable", "rollback", "priorities");
    private static final Set<String> STAGE_KEYS = Set.of("name", "select", "count", "percent", "batch", "failureBudget",
            "healthGate", "pause", "approval");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private final String source;

    private PlanLoader(String source) {
        this.source = source;
    }

    /** A built-in plan's name, or a plan file. */
    public static Plan resolve(String nameOrFile) {
        Optional<Plan> builtin = BuiltinPlans.byName(nameOrFile);
        if (builtin.isPresent()) {
            return builtin.get();
        }
        Path file = Path.of(nameOrFile);
        if (!Files.isRegularFile(file)) {
            throw new PlanException("", "no built-in plan named '" + nameOrFile + "' (built-in: "
                    + String.join(", ", BuiltinPlans.names()) + ") and no such file");
        }
        return load(file);
    }

    public static Plan load(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new PlanException("", file + ": cannot read plan: " + e.getMessage());
        }
    }

    /** {@code source} names the document in errors (a file name, or "request body"). */
    public static Plan parse(String source, String text) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new java.io.StringReader(text));
        } catch (MarkedYAMLException e) {
            throw new PlanException("", source + ":" + (e.getProblemMark().getLine() + 1) + ":" + (e.getProblemMark().getColumn() + 1)
                    + ": invalid YAML: " + e.getProblem());
        }
        if (root == null) {
            throw new PlanException("", source + ": the plan is empty; it needs at least 'stages:'");
        }
        return new PlanLoader(source).plan(root);
    }

    private Plan plan(Node root) {
        MappingNode m = mapping(root, "");
        checkKeys(m, "", PLAN_KEYS);
        String name = optional(m, "name").map(n -> string(n, "name")).orElse(source);
        Node stagesNode = optional(m, "stages").orElseThrow(() -> error(root, "stages", "a plan needs 'stages:', a list of stages"));
        if (!(stagesNode instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw error(stagesNode, "stages", "expected a non-empty list of stages");
        }
        List<StagePlan> stages = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            StagePlan s = stage(seq.getValue().get(i), "stages[" + i + "]", i);
            if (!names.add(s.name())) {
                throw error(seq.getValue().get(i), "stages[" + i + "].name", "duplicate stage name '" + s.name() + "'");
            }
            stages.add(s);
        }
        Amount budget = optional(m, "failureBudget").map(n -> amount(n, "failureBudget")).orElse(Amount.ZERO);
        Amount maxUnavailable = optional(m, "maxUnavailable").map(n -> amount(n, "maxUnavailable")).orElse(Amount.ALL);
        RollbackPolicy rollback = optional(m, "rollback").map(n -> {
            try {
                return RollbackPolicy.parse(string(n, "rollback"));
            } catch (IllegalArgumentException e) {
                throw error(n, "rollback", e.getMessage());
            }
        }).orElse(RollbackPolicy.FAILED_HOSTS);
        List<String> priorities = new ArrayList<>();
        optional(m, "priorities").ifPresent(n -> {
            if (!(n instanceof SequenceNode list)) {
                throw error(n, "priorities", "expected a list of selector terms, e.g. [\"@canary\", \"web-*\"]");
            }
            for (int i = 0; i < list.getValue().size(); i++) {
                String term = string(list.getValue().get(i), "priorities[" + i + "]");
                selector(list.getValue().get(i), "priorities[" + i + "]", term);
                priorities.add(term);
            }
        });
        return new Plan(name, stages, budget, maxUnavailable, rollback, priorities);
    }

    private StagePlan stage(Node node, String field, int index) {
        MappingNode m = mapping(node, field);
        checkKeys(m, field, STAGE_KEYS);
        String name = optional(m, "name").map(n -> string(n, field + ".name")).orElse("stage-" + (index + 1));
        Optional<HostSelector> select = optional(m, "select").map(n -> selector(n, field + ".select", string(n, field + ".select")));
        Optional<Node> count = optional(m, "count");
        Optional<Node> percent = optional(m, "percent");
        if (count.isPresent() && percent.isPresent()) {
            throw error(percent.get(), field + ".percent", "set either 'count' or 'percent', not both");
        }
        Amount size = count.map(n -> new Amount(integer(n, field + ".count", 1, 1_000_000), false))
                .or(() -> percent.map(n -> new Amount(integer(n, field + ".percent", 1, 100), true)))
                .orElse(Amount.ALL);
        Amount batch = optional(m, "batch").map(n -> amount(n, field + ".batch")).orElse(Amount.ALL);
        if (batch.value() == 0) {
            throw error(optional(m, "batch").orElseThrow(), field + ".batch", "a batch needs at least 1 host");
        }
        // A stage without a budget of its own is limited by the plan's overall budget only.
        Amount budget = optional(m, "failureBudget").map(n -> amount(n, field + ".failureBudget")).orElse(Amount.ALL);
        Duration gate = optional(m, "healthGate").map(n -> duration(n, field + ".healthGate")).orElse(Duration.ZERO);
        Duration pause = optional(m, "pause").map(n -> duration(n, field + ".pause")).orElse(Duration.ZERO);
        boolean approval = optional(m, "approval").map(n -> bool(n, field + ".approval")).orElse(false);
        return new StagePlan(name, select, size, batch, budget, gate, pause, approval);
    }

    private HostSelector selector(Node n, String field, String text) {
        try {
            return HostSelector.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(n, field, e.getMessage());
        }
    }

    private Amount amount(Node n, String field) {
        try {
            return Amount.parse(scalarValue(n));
        } catch (IllegalArgumentException e) {
            throw error(n, field, e.getMessage());
        }
    }

    private Duration duration(Node n, String field) {
        Object v = scalarValue(n);
        Matcher d = DURATION.matcher(String.valueOf(v).strip());
        if (!d.matches()) {
            throw error(n, field, "expected a duration like 30s, 5m, 1h or 500ms, got " + v);
        }
        long amount = Long.parseLong(d.group(1));
        String unit = d.group(2) == null ? "s" : d.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    private int integer(Node n, String field, int min, int max) {
        Object v = scalarValue(n);
        if (v instanceof Long l && l >= min && l <= max) {
            return l.intValue();
        }
        throw error(n, field, "expected a whole number from " + min + " to " + max + ", got " + v);
    }

    private boolean bool(Node n, String field) {
        Object v = scalarValue(n);
        if (v instanceof Boolean b) {
            return b;
        }
        throw error(n, field, "expected true or false, got " + v);
    }

    private String string(Node n, String field) {
        if (n instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) && !s.getValue().isBlank()) {
            return s.getValue();
        }
        throw error(n, field, "expected a non-empty string");
    }

    private Object scalarValue(Node n) {
        if (!(n instanceof ScalarNode s)) {
            return "a " + (n instanceof SequenceNode ? "list" : "mapping");
        }
        if (s.getTag().equals(Tag.INT)) {
            try {
                return Long.parseLong(s.getValue());
            } catch (NumberFormatException e) {
                return s.getValue();
            }
        }
        if (s.getTag().equals(Tag.BOOL)) {
            return Boolean.parseBoolean(s.getValue());
        }
        return s.getValue();
    }

    private void checkKeys(MappingNode m, String field, Set<String> allowed) {
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : m.getValue()) {
            String k = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            String path = field.isEmpty() ? k : field + "." + k;
            if (!allowed.contains(k)) {
                throw error(t.getKeyNode(), path, "unknown field; expected one of " + new java.util.TreeSet<>(allowed));
            }
            if (!seen.add(k)) {
                throw error(t.getKeyNode(), path, "duplicate field");
            }
        }
    }

    private static Optional<Node> optional(MappingNode m, String key) {
        return m.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key))
                .map(NodeTuple::getValueNode)
                .findFirst();
    }

    private MappingNode mapping(Node n, String field) {
        if (n instanceof MappingNode m) {
            return m;
        }
        throw error(n, field, "expected a mapping (key: value)");
    }

    private PlanException error(Node n, String field, String message) {
        var mark = n.getStartMark();
        String where = source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": ";
        return new PlanException(field, where + (field.isEmpty() ? "" : field + ": ") + message);
    }
}
