package dev.flotilla.eval;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** A Nix list: an immutable array of lazy elements. */
public final class NixList implements Value {
    public static final NixList EMPTY = new NixList(new Lazy[0], true);

    private final Lazy[] items;

    /** A list of {@code items} (copied). */
    public NixList(List<Lazy> items) {
        this(items.toArray(Lazy[]::new), true);
    }

    private NixList(Lazy[] items, boolean owned) {
        this.items = items;
    }

    /** A list that takes ownership of {@code items}: the caller must not change the array afterwards. */
    public static NixList wrap(Lazy[] items) {
        return items.length == 0 ? EMPTY : new NixList(items, true);
    }

    /** The elements, as an unmodifiable view. */
    public List<Lazy> items() {
        return Collections.unmodifiableList(Arrays.asList(items));
    }

    public int size() {
        return items.length;
    }

    public Lazy get(int i) {
        return items[i];
    }

    /** A copy of the elements. */
    public Lazy[] toArray() {
        return items.clone();
    }

    public String typeOf() {
        return "list";
    }

    public String showType() {
        return "a list";
    }

    @Override
    public String toString() {
        return "NixList" + Arrays.toString(items);
    }
}
