package dev.flotilla.eval;

/**
 * A runtime scope: slots laid out by {@code Resolver}. A {@code with} environment has one slot,
 * the (lazy) attribute set it brings into scope; {@link #nearestWith} links with-scopes so that
 * dynamic lookups walk them innermost first.
 */
public final class Env {
    final Env parent;
    final Lazy[] slots;
    private final Interpreter interpreter;
    final Env nearestWith;

    private Env(Env parent, Lazy[] slots, Interpreter interpreter, boolean isWith) {
        this.parent = parent;
        this.slots = slots;
        this.interpreter = interpreter;
        this.nearestWith = isWith ? this : parent == null ? null : parent.nearestWith;
    }

    static Env root(Interpreter in, Lazy[] slots) {
        return new Env(null, slots, in, false);
    }

    Env child(int size) {
        return new Env(this, new Lazy[size], interpreter, false);
    }

    Env withScope(Lazy attrs) {
        return new Env(this, new Lazy[] {attrs}, interpreter, true);
    }

    Env up(int levels) {
        Env e = this;
        for (int k = 0; k < levels; k++) e = e.parent;
        return e;
    }

    public Interpreter interpreter() {
        return interpreter;
    }
}
