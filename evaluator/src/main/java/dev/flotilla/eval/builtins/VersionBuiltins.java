package dev.flotilla.eval.builtins;

import dev.flotilla.eval.Coercion;
import dev.flotilla.eval.Coercion.Mode;
import dev.flotilla.eval.Force;
import dev.flotilla.eval.Interpreter;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixInt;
import dev.flotilla.eval.NixList;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Value;
import java.util.ArrayList;
import java.util.List;

/** Nix's version-string rules: components split at '.'/'-' and at digit/non-digit boundaries. */
final class VersionBuiltins {
    private VersionBuiltins() {}

    static void register(Registry r) {
        r.add("compareVersions", 2, VersionBuiltins::compareVersions);
        r.add("splitVersion", 1, VersionBuiltins::splitVersion);
        r.add("parseDrvName", 1, VersionBuiltins::parseDrvName);
    }

    static List<String> components(String v) {
        List<String> out = new ArrayList<>();
        int p = 0;
        while (p < v.length()) {
            char c = v.charAt(p);
            if (c == '.' || c == '-') {
                p++;
                continue;
            }
            int start = p;
            boolean digits = Character.isDigit(c);
            while (p < v.length() && v.charAt(p) != '.' && v.charAt(p) != '-' && Character.isDigit(v.charAt(p)) == digits) p++;
            out.add(v.substring(start, p));
        }
        return out;
    }

    private static boolean isNum(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    /** Nix's componentsLT: numbers numerically; "" < number; "pre" lowest; other strings by bytes. */
    static boolean componentLess(String a, String b) {
        boolean na = isNum(a), nb = isNum(b);
        if (na && nb) return new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b)) < 0;
        if (a.isEmpty() && nb) return true;
        if (a.equals("pre") && !b.equals("pre")) return true;
        if (b.equals("pre")) return false;
        if (nb) return true;
        if (na) return false;
        return a.compareTo(b) < 0;
    }

    static int compare(String x, String y) {
        List<String> a = components(x), b = components(y);
        for (int k = 0; k < Math.max(a.size(), b.size()); k++) {
            String ca = k < a.size() ? a.get(k) : "", cb = k < b.size() ? b.get(k) : "";
            if (componentLess(ca, cb)) return -1;
            if (componentLess(cb, ca)) return 1;
        }
        return 0;
    }

    static Value compareVersions(Interpreter in, Lazy[] a, Pos pos) {
        return new NixInt(compare(Force.stringNoContext(a[0], pos), Force.stringNoContext(a[1], pos)));
    }

    static Value splitVersion(Interpreter in, Lazy[] a, Pos pos) {
        String v = Coercion.toNixString(in, a[0], Mode.INTERPOLATE, false, pos).value();
        List<Lazy> out = new ArrayList<>();
        for (String c : components(v)) out.add(new NixString(c));
        return new NixList(out);
    }

    /** The name ends at the first '-' followed by a non-letter. */
    static Value parseDrvName(Interpreter in, Lazy[] a, Pos pos) {
        String s = Coercion.toNixString(in, a[0], Mode.INTERPOLATE, false, pos).value();
        String name = s, version = "";
        for (int k = 0; k + 1 < s.length(); k++) {
            if (s.charAt(k) == '-' && !Character.isLetter(s.charAt(k + 1))) {
                name = s.substring(0, k);
                version = s.substring(k + 1);
                break;
            }
        }
        return NixAttrs.builder().put("name", new NixString(name)).put("version", new NixString(version)).build();
    }
}
