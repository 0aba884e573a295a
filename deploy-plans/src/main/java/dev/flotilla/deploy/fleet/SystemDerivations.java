package dev.flotilla.deploy.fleet;

import dev.flotilla.eval.modules.HostEvaluation;
import dev.flotilla.store.build.Derivation;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Which of an evaluation's derivations a host's system uses: those whose output paths its values name. */
final class SystemDerivations {
    private SystemDerivations() {}

    /** Output path → .drv path, for each derivation output the host's system names. */
    static Map<String, String> needed(HostEvaluation ev, String storeDir) {
        Map<String, String> outputs = new TreeMap<>();
        ev.texts().forEach((path, text) -> {
            if (path.endsWith(".drv")) {
                Derivation d = Derivation.parse(text, path);
                d.outputs().values().forEach(o -> outputs.put(o.path(), path));
            }
        });
        Map<String, String> needed = new TreeMap<>();
        if (outputs.isEmpty()) {
            return needed;
        }
        String prefix = storeDir + "/";
        strings(ev.system(), s -> {
            for (int i = s.indexOf(prefix); i >= 0; i = s.indexOf(prefix, i + 1)) {
                int end = i + prefix.length();
                while (end < s.length() && s.charAt(end) != '/' && !Character.isWhitespace(s.charAt(end))
                        && s.charAt(end) != '"' && s.charAt(end) != '\'' && s.charAt(end) != ':' && s.charAt(end) != ';') {
                    end++;
                }
                String candidate = s.substring(i, end);
                // A path followed by punctuation: try shorter prefixes, as the system builder does.
                while (candidate.length() > prefix.length() + 33 && !outputs.containsKey(candidate)) {
                    candidate = candidate.substring(0, candidate.length() - 1);
                }
                if (outputs.containsKey(candidate)) {
                    needed.put(candidate, outputs.get(candidate));
                }
            }
        });
        return needed;
    }

    private static void strings(Object value, java.util.function.Consumer<String> f) {
        switch (value) {
            case String s -> f.accept(s);
            case Map<?, ?> m -> m.values().forEach(v -> strings(v, f));
            case List<?> l -> l.forEach(v -> strings(v, f));
            case null, default -> { }
        }
    }

}
