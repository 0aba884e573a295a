package dev.flotilla.eval.builtins;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A POSIX extended regular expression as Nix 2.8 compiles it ({@code std::regex::extended} of
 * libstdc++, "C" locale, byte strings): parsed to a small syntax tree, then compiled to an NFA
 * that {@link PosixMatcher} runs.
 *
 * <p>Syntax, as libstdc++ reads it: {@code |}, groups (all capturing), {@code * + ? {n} {n,}
 * {n,m}} (stackable: {@code a+?} is {@code (a+)?}, not a lazy quantifier), {@code ^ $} anchors
 * anywhere, {@code .} (any byte but NUL), bracket expressions ({@link PosixBrackets}). Outside
 * brackets a backslash may only precede a special character ({@code .[\()*+?{|^$}).
 */
final class PosixRegex {
    /** Thrown for a malformed expression. */
    static final class SyntaxError extends RuntimeException {
        SyntaxError(String what) {
            super(what, null, false, false);
        }
    }

    /** The syntax tree. */
    sealed interface Node {}

    record Char(char c) implements Node {}

    record Set(boolean[] members) implements Node {}

    record Any() implements Node {}

    record Bol() implements Node {}

    record Eol() implements Node {}

    record Empty() implements Node {}

    record Group(int number, Node body) implements Node {}

    record Seq(List<Node> items) implements Node {}

    record Alt(List<Node> choices) implements Node {}

    /** {@code max} is -1 for unbounded. */
    record Repeat(Node body, int min, int max) implements Node {}

    // NFA state kinds
    static final byte CHAR = 0, SET = 1, ANY = 2, BOL = 3, EOL = 4, OPEN = 5, CLOSE = 6, ALT = 7, REPEAT = 8, DUMMY = 9, ACCEPT = 10;
    private static final int MAX_STATES = 100_000;

    /**
     * The NFA. {@code next} is the successor; an ALT tries {@code next} then {@code alt}; a REPEAT
     * tries {@code next} ("once more") and only if that found no match {@code alt} ("stop here").
     */
    byte[] kind = new byte[32];
    int[] arg = new int[32];
    int[] next = new int[32];
    int[] alt = new int[32];
    int size;
    final List<boolean[]> sets = new ArrayList<>();
    int groups;
    int start;

    private final String re;
    private int i;

    private PosixRegex(String re) {
        this.re = re;
    }

    static PosixRegex compile(String re) {
        PosixRegex r = new PosixRegex(re);
        Node tree = r.alternation();
        if (r.i < re.length()) throw new SyntaxError("unmatched ')'");
        Frag f = r.compile(tree);
        int accept = r.state(ACCEPT, 0);
        r.patch(f.outs, accept);
        r.start = f.start;
        return r;
    }

    // ---- parsing ----

    private boolean at(char c) {
        return i < re.length() && re.charAt(i) == c;
    }

    private Node alternation() {
        List<Node> choices = new ArrayList<>();
        choices.add(concatenation());
        while (at('|')) {
            i++;
            choices.add(concatenation());
        }
        return choices.size() == 1 ? choices.get(0) : new Alt(List.copyOf(choices));
    }

    private Node concatenation() {
        List<Node> items = new ArrayList<>();
        while (i < re.length() && !at('|') && !at(')')) items.add(term());
        return items.isEmpty() ? new Empty() : items.size() == 1 ? items.get(0) : new Seq(List.copyOf(items));
    }

    private Node term() {
        char c = re.charAt(i);
        if (c == '^' || c == '$') {
            i++;
            return c == '^' ? new Bol() : new Eol();
        }
        Node n = atom();
        while (i < re.length()) {
            switch (re.charAt(i)) {
                case '*' -> n = new Repeat(n, 0, -1);
                case '+' -> n = new Repeat(n, 1, -1);
                case '?' -> n = new Repeat(n, 0, 1);
                case '{' -> {
                    i++;
                    int min = number();
                    int max = min;
                    if (at(',')) {
                        i++;
                        max = at('}') ? -1 : number();
                    }
                    if (!at('}') || (max >= 0 && max < min)) throw new SyntaxError("invalid interval");
                    n = new Repeat(n, min, max);
                }
                default -> {
                    return n;
                }
            }
            i++;
        }
        return n;
    }

    private int number() {
        int from = i;
        while (i < re.length() && re.charAt(i) >= '0' && re.charAt(i) <= '9' && i - from < 5) i++;
        if (i == from) throw new SyntaxError("invalid interval");
        return Integer.parseInt(re, from, i, 10);
    }

    private Node atom() {
        char c = re.charAt(i++);
        switch (c) {
            case '(' -> {
                int number = ++groups;
                Node body = alternation();
                if (!at(')')) throw new SyntaxError("unmatched '('");
                i++;
                return new Group(number, body);
            }
            case '.' -> {
                return new Any();
            }
            case '[' -> {
                PosixBrackets.Parsed p = PosixBrackets.parse(re, i);
                i = p.end();
                return new Set(p.members());
            }
            case '\\' -> {
                // only the special characters may be escaped (libstdc++ rejects "\n", "\d", "\1", ...)
                if (i >= re.length() || ".[\\()*+?{|^$".indexOf(re.charAt(i)) < 0) throw new SyntaxError("invalid escape");
                return new Char(re.charAt(i++));
            }
            case '*', '+', '?', '{' -> throw new SyntaxError("repetition operator '" + c + "' without an operand");
            default -> {
                return new Char(c);
            }
        }
    }

    // ---- compiling ----

    /**
     * A compiled fragment: its entry state and its open ends. An open end {@code s >= 0} is
     * {@code next[s]}, {@code s < 0} is {@code alt[-s - 1]}.
     */
    private record Frag(int start, List<Integer> outs) {}

    private int state(byte k, int a) {
        if (size == kind.length) {
            if (size >= MAX_STATES) throw new SyntaxError("regular expression too large");
            kind = Arrays.copyOf(kind, size * 2);
            arg = Arrays.copyOf(arg, size * 2);
            next = Arrays.copyOf(next, size * 2);
            alt = Arrays.copyOf(alt, size * 2);
        }
        kind[size] = k;
        arg[size] = a;
        next[size] = -1;
        alt[size] = -1;
        return size++;
    }

    private void patch(List<Integer> outs, int target) {
        for (int s : outs) {
            if (s >= 0) next[s] = target;
            else alt[-s - 1] = target;
        }
    }

    private Frag single(byte k, int a) {
        int s = state(k, a);
        return new Frag(s, List.of(s));
    }

    private Frag then(Frag a, Frag b) {
        patch(a.outs, b.start);
        return new Frag(a.start, b.outs);
    }

    private Frag compile(Node n) {
        return switch (n) {
            case Char c -> single(CHAR, c.c());
            case Set s -> {
                sets.add(s.members());
                yield single(SET, sets.size() - 1);
            }
            case Any a -> single(ANY, 0);
            case Bol b -> single(BOL, 0);
            case Eol e -> single(EOL, 0);
            case Empty e -> single(DUMMY, 0);
            case Group g -> then(then(single(OPEN, g.number()), compile(g.body())), single(CLOSE, g.number()));
            case Seq s -> {
                Frag f = compile(s.items().get(0));
                for (int k = 1; k < s.items().size(); k++) f = then(f, compile(s.items().get(k)));
                yield f;
            }
            case Alt a -> alternatives(a.choices(), 0);
            case Repeat r -> repeat(r);
        };
    }

    /** Left to right: choice k is tried before choice k + 1. */
    private Frag alternatives(List<Node> choices, int k) {
        Frag first = compile(choices.get(k));
        if (k == choices.size() - 1) return first;
        Frag rest = alternatives(choices, k + 1);
        int a = state(ALT, 0);
        next[a] = first.start;
        alt[a] = rest.start;
        List<Integer> outs = new ArrayList<>(first.outs);
        outs.addAll(rest.outs);
        return new Frag(a, outs);
    }

    /** {@code min} copies, then a loop (unbounded) or nested optional copies: (X(X)?)?. */
    private Frag repeat(Repeat r) {
        Frag f = null;
        for (int k = 0; k < r.min(); k++) f = f == null ? compile(r.body()) : then(f, compile(r.body()));
        Frag tail = null;
        if (r.max() < 0) {
            int loop = state(REPEAT, 0);
            Frag body = compile(r.body());
            next[loop] = body.start;
            patch(body.outs, loop);
            tail = new Frag(loop, List.of(-loop - 1));
        } else if (r.max() > r.min()) {
            int end = state(DUMMY, 0);
            List<Integer> open = null;
            int first = -1;
            for (int k = r.min(); k < r.max(); k++) {
                int opt = state(REPEAT, 0);
                Frag body = compile(r.body());
                next[opt] = body.start;
                alt[opt] = end;
                if (open == null) first = opt;
                else patch(open, opt);
                open = body.outs;
            }
            patch(open, end);
            tail = new Frag(first, List.of(end));
        }
        if (f == null) return tail != null ? tail : single(DUMMY, 0);
        return tail == null ? f : then(f, tail);
    }
}
