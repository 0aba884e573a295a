package dev.flotilla.eval;

/** Something that yields a {@link Value} when forced: either a value already, or a {@link Thunk}. */
public sealed interface Lazy permits Thunk, Value {
    Value force();

    /**
     * Forces on behalf of an expression at {@code at}: a value that depends on itself is reported
     * there ("infinite recursion encountered"), as Nix reports it where the value is needed.
     */
    default Value force(Pos at) {
        return force();
    }
}
