package dev.flotilla.eval;

import java.util.Set;

/**
 * A Nix string. Nix strings are byte strings: {@code value} holds one char per byte (the bytes
 * decoded as ISO-8859-1), so lengths and offsets are byte counts as in Nix. {@code context}
 * lists the store paths the string refers to, in Nix's encoding ({@code /store/path},
 * {@code =drv} for a derivation with all outputs, {@code !out!drv} for one output).
 */
public record NixString(String value, Set<String> context) implements Value {
    public NixString {
        context = Set.copyOf(context);
    }

    public NixString(String value) {
        this(value, Set.of());
    }

    public String typeOf() {
        return "string";
    }

    public String showType() {
        return "a string";
    }
}
