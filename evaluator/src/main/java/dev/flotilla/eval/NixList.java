package dev.flotilla.eval;

import java.util.List;

public record NixList(List<Lazy> items) implements Value {
    public static final NixList EMPTY = new NixList(List.of());

    public NixList {
        items = List.copyOf(items);
    }

    public int size() {
        return items.size();
    }

    public Lazy get(int i) {
        return items.get(i);
    }

    public String typeOf() {
        return "list";
    }

    public String showType() {
        return "a list";
    }
}
