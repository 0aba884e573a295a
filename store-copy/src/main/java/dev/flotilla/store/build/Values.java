package dev.flotilla.store.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reading the plain values of an evaluated configuration; every problem names the option path. */
final class Values {
    private Values() {}

    static Map<String, Object> map(Object value, String where) {
        if (value instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) m;
            return typed;
        }
        throw new ConfigException(where + ": expected an attribute set, got " + describe(value));
    }

    static String string(Object value, String where) {
        if (value instanceof String s) {
            return s;
        }
        throw new ConfigException(where + ": expected a string, got " + describe(value));
    }

    /** A string, or null when absent or null. */
    static String optionalString(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        return v == null ? null : string(v, where + "." + key);
    }

    static long integer(Object value, String where, long min, long max) {
        if (value instanceof Long l && l >= min && l <= max) {
            return l;
        }
        if (value instanceof Long l) {
            throw new ConfigException(where + ": " + l + " is outside " + min + ".." + max);
        }
        throw new ConfigException(where + ": expected an integer, got " + describe(value));
    }

    static long optionalInteger(Map<String, Object> m, String key, String where, long dflt, long min, long max) {
        Object v = m.get(key);
        return v == null ? dflt : integer(v, where + "." + key, min, max);
    }

    static List<String> strings(Object value, String where) {
        if (!(value instanceof List<?> list)) {
            throw new ConfigException(where + ": expected a list, got " + describe(value));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(string(list.get(i), where + "[" + (i + 1) + "]"));
        }
        return out;
    }

    /** An octal permission mode like "0444" or "644". */
    static int mode(Object value, String where) {
        String s = string(value, where);
        if (!s.matches("0?[0-7]{3}")) {
            throw new ConfigException(where + ": expected an octal mode like \"0444\", got \"" + s + "\"");
        }
        return Integer.parseInt(s, 8);
    }

    static String showMode(int mode) {
        return String.format("%04o", mode);
    }

    /** Refuses keys outside {@code known}. */
    static void onlyKeys(Map<String, Object> m, Set<String> known, String where) {
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                throw new ConfigException((where.isEmpty() ? "" : where + ".") + k + ": unknown option; known: "
                        + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    /** {@code "name"} quoted when it is not a plain identifier, as option paths show it. */
    static String attr(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_'-]*") ? name : "\"" + name + "\"";
    }

    static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "the string \"" + s + "\"";
            case Long l -> "the integer " + l;
            case Double d -> "the float " + d;
            case Boolean b -> "the Boolean " + b;
            case List<?> l -> "a list";
            case Map<?, ?> m -> "an attribute set";
            default -> value.getClass().getSimpleName();
        };
    }
}
