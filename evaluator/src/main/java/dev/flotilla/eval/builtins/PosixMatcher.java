package dev.flotilla.eval.builtins;

import static dev.flotilla.eval.builtins.PosixRegex.*;

import java.util.BitSet;

/**
 * Runs a {@link PosixRegex} the way libstdc++'s depth-first executor does for POSIX grammars,
 * which is what Nix 2.8's {@code match} and {@code split} see:
 * <ul>
 * <li>{@link #match}: the whole string must match; the first match in depth-first order (left
 * alternative first, greedy repetition first) gives the groups.</li>
 * <li>{@link #search}: leftmost start; from there both sides of every alternation are tried and
 * the longest match wins (ties: the first found); a repetition tries "once more" first and
 * stops there only if that found no match at all.</li>
 * </ul>
 * Branch points are memoised per (state, position), so matching takes time polynomial in the
 * input instead of exponential.
 */
final class PosixMatcher {
    private final PosixRegex re;
    private final String s;
    private final int len;
    private final boolean exact;
    private final int[] caps;
    private int[] best;
    private int bestEnd = -1;
    private boolean done;
    private BitSet visited;
    private BitSet found;
    private int[] repPos;
    private int[] repCount;
    private int base;

    private PosixMatcher(PosixRegex re, String s, boolean exact) {
        this.re = re;
        this.s = s;
        this.len = s.length();
        this.exact = exact;
        this.caps = new int[2 * re.groups + 2];
    }

    /** Group boundaries ({@code [2g]} start, {@code [2g+1]} end, -1 if unset; group 0 the match) if all of {@code s} matches, else null. */
    static int[] match(PosixRegex re, String s) {
        PosixMatcher m = new PosixMatcher(re, s, true);
        return m.runAt(0) ? m.best : null;
    }

    /** The leftmost-longest match starting at or after {@code from}, or null. */
    static int[] search(PosixRegex re, String s, int from) {
        PosixMatcher m = new PosixMatcher(re, s, false);
        int first = m.firstChar();
        for (int start = from; start <= s.length(); start++) {
            if (first >= 0) {
                start = s.indexOf(first, start);
                if (start < 0) return null;
            }
            if (m.runAt(start)) return m.best;
        }
        return null;
    }

    /** The character every match must begin with, or -1. */
    private int firstChar() {
        int st = re.start;
        while (re.kind[st] == DUMMY || re.kind[st] == OPEN) st = re.next[st];
        return re.kind[st] == CHAR ? re.arg[st] : -1;
    }

    private boolean runAt(int start) {
        java.util.Arrays.fill(caps, -1);
        bestEnd = -1;
        done = false;
        base = start;
        if (visited != null) {
            visited.clear();
            found.clear();
        }
        dfs(re.start, start);
        if (bestEnd < 0) return false;
        best[0] = start;
        best[1] = bestEnd;
        return true;
    }

    /** Explores from {@code st} at {@code pos}; true if some accepting path was found below. */
    private boolean dfs(int st, int pos) {
        while (true) {
            switch (re.kind[st]) {
                case CHAR -> {
                    if (pos >= len || s.charAt(pos) != re.arg[st]) return false;
                    pos++;
                }
                case SET -> {
                    if (pos >= len || !re.sets.get(re.arg[st])[s.charAt(pos) & 0xff]) return false;
                    pos++;
                }
                case ANY -> {
                    if (pos >= len || s.charAt(pos) == 0) return false;
                    pos++;
                }
                case BOL -> {
                    if (pos != 0) return false;
                }
                case EOL -> {
                    if (pos != len) return false;
                }
                case DUMMY -> { }
                case OPEN, CLOSE -> {
                    int slot = 2 * re.arg[st] + (re.kind[st] == CLOSE ? 1 : 0);
                    int old = caps[slot];
                    caps[slot] = pos;
                    boolean r = dfs(re.next[st], pos);
                    caps[slot] = old;
                    return r;
                }
                case ALT, REPEAT -> {
                    return branch(st, pos);
                }
                case ACCEPT -> {
                    return accept(pos);
                }
                default -> throw new IllegalStateException("bad state");
            }
            st = re.next[st];
        }
    }

    /**
     * ALT and REPEAT states, memoised on completion: a (state, position) explored to the end
     * already recorded every match below it, so exploring it again cannot change the result.
     */
    private boolean branch(int st, int pos) {
        long wide = (long) (pos - base) * re.size + st;
        if (wide > Integer.MAX_VALUE) return explore(st, pos); // too large to remember: plain backtracking
        int key = (int) wide;
        if (visited == null) {
            visited = new BitSet();
            found = new BitSet();
        } else if (visited.get(key)) {
            return found.get(key);
        }
        boolean r = explore(st, pos);
        visited.set(key);
        if (r) found.set(key);
        return r;
    }

    /** ALT: both sides (the longer match wins in {@link #accept}); REPEAT: "once more", and "stop" only if that found nothing. */
    private boolean explore(int st, int pos) {
        if (re.kind[st] == ALT) {
            boolean r = dfs(re.next[st], pos);
            return done ? r : dfs(re.alt[st], pos) | r;
        }
        boolean r = onceMore(st, pos);
        return r || done ? r : dfs(re.alt[st], pos);
    }

    /**
     * Another iteration of a loop. As in libstdc++, a loop may be re-entered at the position of its
     * last entry only twice in a row (so empty iterations end, after counting once).
     */
    private boolean onceMore(int st, int pos) {
        if (repCount == null) {
            repPos = new int[re.size];
            repCount = new int[re.size];
        }
        int savedPos = repPos[st], savedCount = repCount[st];
        if (savedCount == 0 || savedPos != pos) {
            repPos[st] = pos;
            repCount[st] = 1;
        } else if (savedCount < 2) {
            repCount[st]++;
        } else {
            return false;
        }
        boolean r = dfs(re.next[st], pos);
        repPos[st] = savedPos;
        repCount[st] = savedCount;
        return r;
    }

    private boolean accept(int pos) {
        if (exact && pos != len) return false;
        if (pos > bestEnd) {
            bestEnd = pos;
            best = caps.clone();
        }
        if (exact || pos == len) done = true; // nothing can beat it
        return true;
    }
}
