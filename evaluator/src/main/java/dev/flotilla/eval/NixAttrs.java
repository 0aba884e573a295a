package dev.flotilla.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable attribute set, kept sorted by name (Nix shows and iterates sets in
 * lexicographic order). Lookup is a binary search; {@link #update} merges in linear time.
 */
public final class NixAttrs implements Value {
    public static final NixAttrs EMPTY = new NixAttrs(new String[0], new Lazy[0], new Pos[0]);

    private final String[] names;
    private final Lazy[] values;
    private final Pos[] positions;
    /** Where the set was written out ({@code {} or {@code rec}); null for computed sets. */
    private final Pos pos;

    private NixAttrs(String[] names, Lazy[] values, Pos[] positions) {
        this(names, values, positions, null);
    }

    private NixAttrs(String[] names, Lazy[] values, Pos[] positions, Pos pos) {
        this.names = names;
        this.values = values;
        this.positions = positions;
        this.pos = pos;
    }

    /** The same set, as written out at {@code at} (Nix reports some errors about a set there). */
    NixAttrs writtenAt(Pos at) {
        return new NixAttrs(names, values, positions, at);
    }

    /** Where the set was written out, or null if it was computed. */
    public Pos writtenAt() {
        return pos;
    }

    /**
     * A set of the given attributes, which must be sorted by name and unique; the name and
     * position arrays may be shared between sets (they are never changed), the values array is owned.
     */
    static NixAttrs ofSorted(String[] names, Lazy[] values, Pos[] positions) {
        return names.length == 0 ? EMPTY : new NixAttrs(names, values, positions);
    }

    /** Like {@link #ofSorted(String[], Lazy[], Pos[])}, for a set written out at {@code at}. */
    static NixAttrs ofSorted(String[] names, Lazy[] values, Pos[] positions, Pos at) {
        return new NixAttrs(names, values, positions, at);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static NixAttrs of(Map<String, ? extends Lazy> map) {
        Builder b = builder();
        map.forEach((k, v) -> b.put(k, v, null));
        return b.build();
    }

    public int size() {
        return names.length;
    }

    public boolean isEmpty() {
        return names.length == 0;
    }

    private int index(String name) {
        return Arrays.binarySearch(names, name);
    }

    /** The attribute's value, or null if absent. */
    public Lazy get(String name) {
        int i = index(name);
        return i >= 0 ? values[i] : null;
    }

    public boolean has(String name) {
        return index(name) >= 0;
    }

    /** Where the attribute was defined, or null. */
    public Pos position(String name) {
        int i = index(name);
        return i >= 0 ? positions[i] : null;
    }

    public String name(int i) {
        return names[i];
    }

    public Lazy value(int i) {
        return values[i];
    }

    public List<String> names() {
        return List.of(names);
    }

    /** {@code this // other}. */
    public NixAttrs update(NixAttrs other) {
        if (other.isEmpty()) return this;
        if (isEmpty()) return other;
        int n = names.length, m = other.names.length;
        String[] ns = new String[n + m];
        Lazy[] vs = new Lazy[n + m];
        Pos[] ps = new Pos[n + m];
        int i = 0, j = 0, k = 0;
        while (i < n || j < m) {
            int c = i == n ? 1 : j == m ? -1 : names[i].compareTo(other.names[j]);
            if (c < 0) {
                ns[k] = names[i]; vs[k] = values[i]; ps[k++] = positions[i++];
            } else {
                if (c == 0) i++;
                ns[k] = other.names[j]; vs[k] = other.values[j]; ps[k++] = other.positions[j++];
            }
        }
        return new NixAttrs(Arrays.copyOf(ns, k), Arrays.copyOf(vs, k), Arrays.copyOf(ps, k));
    }

    /** A copy without the given names. */
    public NixAttrs without(java.util.Set<String> remove) {
        Builder b = builder();
        for (int i = 0; i < names.length; i++) {
            if (!remove.contains(names[i])) b.put(names[i], values[i], positions[i]);
        }
        return b.build();
    }

    public String typeOf() {
        return "set";
    }

    public String showType() {
        return "a set";
    }

    @Override
    public String toString() {
        return "NixAttrs" + Arrays.toString(names);
    }

    /** Collects attributes; a later {@code put} of the same name replaces the earlier one. */
    public static final class Builder {
        private final TreeMap<String, Object[]> map = new TreeMap<>();

        public Builder put(String name, Lazy value, Pos pos) {
            map.put(name, new Object[] {value, pos});
            return this;
        }

        public Builder put(String name, Lazy value) {
            return put(name, value, null);
        }

        public boolean has(String name) {
            return map.containsKey(name);
        }

        public Pos pos(String name) {
            Object[] e = map.get(name);
            return e == null ? null : (Pos) e[1];
        }

        public NixAttrs build() {
            if (map.isEmpty()) return EMPTY;
            List<String> ns = new ArrayList<>(map.keySet());
            Lazy[] vs = new Lazy[ns.size()];
            Pos[] ps = new Pos[ns.size()];
            int k = 0;
            for (Object[] e : map.values()) {
                vs[k] = (Lazy) e[0];
                ps[k++] = (Pos) e[1];
            }
            return new NixAttrs(ns.toArray(String[]::new), vs, ps);
        }
    }
}
