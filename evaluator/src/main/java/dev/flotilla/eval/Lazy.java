package dev.flotilla.eval;

/** Something that yields a {@link Value} when forced: either a value already, or a {@link Thunk}. */
public sealed interface Lazy permits Thunk, Value {
    Value force();
}
