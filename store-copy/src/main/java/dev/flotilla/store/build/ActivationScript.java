package dev.flotilla.store.build;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A script the agent runs (by {@code /bin/sh}) when it activates the system ({@code activation.scripts.<name>}). */
public record ActivationScript(String name, String script, int timeoutSeconds, List<String> after) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    public ActivationScript {
        after = List.copyOf(after);
        if (timeoutSeconds < 1) {
            throw new ConfigException("activation.scripts." + Values.attr(name) + ".timeoutSeconds: must be at least 1");
        }
    }

    /** Either the script's text, or {@code { text; timeoutSeconds; }}. */
    static ActivationScript fromValue(String name, Object value) {
        String where = "activation.scripts." + Values.attr(name);
        if (value instanceof String s) {
            return new ActivationScript(name, s, DEFAULT_TIMEOUT_SECONDS, List.of());
        }
        Map<String, Object> m = Values.map(value, where);
        Values.onlyKeys(m, Set.of("text", "timeoutSeconds", "after"), where);
        if (m.get("text") == null) {
            throw new ConfigException(where + ".text: is not defined");
        }
        return new ActivationScript(name, Values.string(m.get("text"), where + ".text"),
                (int) Values.optionalInteger(m, "timeoutSeconds", where, DEFAULT_TIMEOUT_SECONDS, 1, 86_400),
                m.get("after") == null ? List.of() : Values.strings(m.get("after"), where + ".after"));
    }

    Map<String, Object> toManifest() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("script", script);
        out.put("timeoutSeconds", timeoutSeconds);
        out.put("after", after);
        return out;
    }
}
