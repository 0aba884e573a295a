package dev.flotilla.eval.builtins;

import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Force;
import dev.flotilla.eval.Interpreter;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixList;
import dev.flotilla.eval.NixNull;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code match} and {@code split}. Nix uses POSIX extended regular expressions; they are
 * translated to java.util.regex: bracket expressions get POSIX meaning (backslash literal,
 * {@code [:class:]}, a leading {@code ]} literal). Alternation stays leftmost-first, not POSIX
 * leftmost-longest, which only matters for ambiguous patterns.
 */
final class RegexBuiltins {
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private RegexBuiltins() {}

    static void register(Registry r) {
        r.add("match", 2, RegexBuiltins::match);
        r.add("split", 2, RegexBuiltins::split);
    }

    static Pattern compile(String re, Pos pos) {
        Pattern p = CACHE.get(re);
        if (p != null) return p;
        try {
            p = Pattern.compile(translate(re), Pattern.DOTALL);
        } catch (IllegalArgumentException e) {
            throw new EvalException(pos, "invalid regular expression '" + re + "'");
        }
        if (CACHE.size() < 10_000) CACHE.put(re, p);
        return p;
    }

    static String translate(String re) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\' && i + 1 < re.length()) {
                out.append(c).append(re.charAt(i + 1));
                i += 2;
            } else if (c == '[') {
                i = bracket(re, i, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int bracket(String re, int i, StringBuilder out) {
        out.append('[');
        i++;
        if (i < re.length() && re.charAt(i) == '^') {
            out.append('^');
            i++;
        }
        if (i < re.length() && re.charAt(i) == ']') {
            out.append("\\]");
            i++;
        }
        while (i < re.length() && re.charAt(i) != ']') {
            char c = re.charAt(i);
            if (c == '[' && i + 1 < re.length() && re.charAt(i + 1) == ':') {
                int end = re.indexOf(":]", i + 2);
                if (end < 0) throw new IllegalArgumentException("bad class");
                out.append(posixClass(re.substring(i + 2, end)));
                i = end + 2;
                continue;
            }
            if (c == '\\' || c == '[' || c == '&' || c == '~' || (c == '^')) out.append('\\');
            out.append(c);
            i++;
        }
        if (i >= re.length()) throw new IllegalArgumentException("unterminated bracket");
        out.append(']');
        return i + 1;
    }

    private static String posixClass(String name) {
        return switch (name) {
            case "alpha" -> "\\p{Alpha}";
            case "digit" -> "0-9";
            case "alnum" -> "\\p{Alnum}";
            case "upper" -> "\\p{Upper}";
            case "lower" -> "\\p{Lower}";
            case "space" -> "\\s\\x0B";
            case "blank" -> " \\t";
            case "punct" -> "\\p{Punct}";
            case "print" -> "\\p{Print}";
            case "graph" -> "\\p{Graph}";
            case "cntrl" -> "\\p{Cntrl}";
            case "xdigit" -> "0-9A-Fa-f";
            default -> throw new IllegalArgumentException("unknown class " + name);
        };
    }

    private static List<Lazy> groups(Matcher m) {
        List<Lazy> out = new ArrayList<>();
        for (int g = 1; g <= m.groupCount(); g++) {
            String s = m.group(g);
            out.add(s == null ? NixNull.NULL : new NixString(s));
        }
        return out;
    }

    static Value match(Interpreter in, Lazy[] a, Pos pos) {
        Pattern p = compile(Force.stringNoContext(a[0], pos), pos);
        NixString s = Force.string(a[1], pos);
        Matcher m = p.matcher(s.value());
        if (!m.matches()) return NixNull.NULL;
        return new NixList(groups(m));
    }

    static Value split(Interpreter in, Lazy[] a, Pos pos) {
        Pattern p = compile(Force.stringNoContext(a[0], pos), pos);
        String s = Force.string(a[1], pos).value();
        Matcher m = p.matcher(s);
        List<Lazy> out = new ArrayList<>();
        int last = 0;
        int from = 0;
        while (from <= s.length() && m.find(from)) {
            out.add(new NixString(s.substring(last, m.start())));
            out.add(new NixList(groups(m)));
            last = m.end();
            from = m.end() == m.start() ? m.end() + 1 : m.end();
        }
        out.add(new NixString(s.substring(last)));
        return new NixList(out);
    }
}
