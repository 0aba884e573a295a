package dev.flotilla.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/** The chart under test, rendered offline through helm-java, and the manifests it renders as maps. */
final class Chart {

    static final Path DIR = Path.of("flotilla").toAbsolutePath();
    static final String RELEASE = "fl";
    static final String NAMESPACE = "fleet-ops";
    static final String KUBE = "1.31.0";

    private Chart() {}

    /** {@code helm template} with {@code --set key=value} for each entry. */
    static Rendered render(Map<String, Object> sets) {
        TemplateCommand t = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE);
        sets.forEach(t::set);
        return new Rendered(parse(t.call()));
    }

    /** {@code helm template -f file}. */
    static Rendered render(Path valuesFile) {
        return new Rendered(parse(new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE).withValuesFile(valuesFile).call()));
    }

    /** A copy of the chart whose values.yaml is the chart's, with {@code overrides} merged in (for lint). */
    static Path copyWithValues(Path dir, Map<String, Object> overrides) throws IOException {
        Path copy = dir.resolve("flotilla");
        try (Stream<Path> files = Files.walk(DIR)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(DIR.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Map<String, Object> values = new Yaml().load(Files.readString(DIR.resolve("values.yaml")));
        merge(values, overrides);
        Files.writeString(copy.resolve("values.yaml"), new Yaml().dump(values));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m && into.get(k) instanceof Map<?, ?> existing) {
                merge((Map<String, Object>) existing, (Map<String, Object>) m);
            } else {
                into.put(k, v);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parse(String manifests) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(manifests)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    /** Rendered manifests. */
    record Rendered(List<Map<String, Object>> docs) {

        List<Map<String, Object>> all(String kind) {
            return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        }

        Node one(String kind) {
            List<Map<String, Object>> found = all(kind);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + kind + ", found " + found.size() + " in " + kinds());
            }
            return new Node(found.getFirst(), kind);
        }

        Node secret(String name) {
            return all("Secret").stream().filter(s -> name.equals(((Map<?, ?>) s.get("metadata")).get("name"))).findFirst()
                    .map(s -> new Node(s, "Secret " + name)).orElseThrow(() -> new AssertionError("no Secret " + name));
        }

        List<String> kinds() {
            return docs.stream().map(d -> (String) d.get("kind")).toList();
        }
    }

    /** A path-navigable view of a manifest: {@code at("spec.template.spec.containers[0].image")}. */
    record Node(Object value, String where) {

        Node at(String path) {
            Object v = value;
            for (String part : path.split("\\.")) {
                String key = part;
                Integer index = null;
                int b = part.indexOf('[');
                if (b >= 0) {
                    key = part.substring(0, b);
                    index = Integer.parseInt(part.substring(b + 1, part.length() - 1));
                }
                if (!key.isEmpty()) {
                    if (!(v instanceof Map<?, ?> m) || !m.containsKey(key)) {
                        throw new AssertionError(where + ": no '" + key + "' on the way to " + path);
                    }
                    v = m.get(key);
                }
                if (index != null) {
                    v = ((List<?>) v).get(index);
                }
            }
            return new Node(v, where + "." + path);
        }

        boolean has(String path) {
            try {
                at(path);
                return true;
            } catch (AssertionError e) {
                return false;
            }
        }

        String str() {
            return Objects.toString(value, null);
        }

        List<Node> list() {
            return ((List<?>) value).stream().map(v -> new Node(v, where)).toList();
        }

        /** The element of a list of named objects ({@code name: x}). */
        Node named(String name) {
            return list().stream().filter(n -> n.value instanceof Map<?, ?> m && name.equals(m.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError(where + ": no entry named " + name));
        }

        Map<String, Object> map() {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) value;
            return new LinkedHashMap<>(m);
        }
    }
}
