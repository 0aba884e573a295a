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

/**
 * {@code match} and {@code split} with the semantics of Nix 2.8 (POSIX extended syntax as libstdc++
 * reads it; alternation picks the longest match in {@code split}): see {@link PosixRegex} and
 * {@link PosixMatcher}. Compiled expressions are cached, as Nix does.
 */
final class RegexBuiltins {
    private static final Map<String, PosixRegex> CACHE = new ConcurrentHashMap<>();

    private RegexBuiltins() {}

    static void register(Registry r) {
        r.add("match", 2, RegexBuiltins::match);
        r.add("split", 2, RegexBuiltins::split);
    }

    static PosixRegex compile(String re, Pos pos) {
        PosixRegex p = CACHE.get(re);
        if (p != null) return p;
        try {
            p = PosixRegex.compile(re);
        } catch (PosixRegex.SyntaxError e) {
            throw new EvalException(pos, "invalid regular expression '" + re + "'");
        }
        if (CACHE.size() < 10_000) CACHE.put(re, p);
        return p;
    }

    private static List<Lazy> groups(PosixRegex re, String s, int[] caps) {
        List<Lazy> out = new ArrayList<>(re.groups);
        for (int g = 1; g <= re.groups; g++) {
            int from = caps[2 * g], to = caps[2 * g + 1];
            out.add(from < 0 || to < 0 ? NixNull.NULL : new NixString(s.substring(from, to)));
        }
        return out;
    }

    static Value match(Interpreter in, Lazy[] a, Pos pos) {
        PosixRegex re = compile(Force.stringNoContext(a[0], pos), pos);
        String s = Force.string(a[1], pos).value();
        int[] caps = PosixMatcher.match(re, s);
        return caps == null ? NixNull.NULL : new NixList(groups(re, s, caps));
    }

    /** After an empty match the search resumes one byte further (a non-empty match there would have been longer). */
    static Value split(Interpreter in, Lazy[] a, Pos pos) {
        PosixRegex re = compile(Force.stringNoContext(a[0], pos), pos);
        String s = Force.string(a[1], pos).value();
        List<Lazy> out = new ArrayList<>();
        int last = 0;
        int from = 0;
        int[] caps;
        while (from <= s.length() && (caps = PosixMatcher.search(re, s, from)) != null) {
            out.add(new NixString(s.substring(last, caps[0])));
            out.add(new NixList(groups(re, s, caps)));
            last = caps[1];
            from = caps[1] == caps[0] ? caps[1] + 1 : caps[1];
        }
        out.add(new NixString(s.substring(last)));
        return new NixList(out);
    }
}
