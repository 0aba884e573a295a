package dev.flotilla.eval.syntax;

import dev.flotilla.eval.Pos;
import java.util.List;

/**
 * The Nix abstract syntax tree. Every node carries the position of its first token.
 * Operators that Nix desugars to builtin calls ({@code - * / < <= > >=}) are already
 * {@link Call}s of {@code __sub}, {@code __lessThan}, ... as in Nix, so a {@code let __sub = ...}
 * shadows them exactly as it does there.
 */
public sealed interface Expr {
    Pos pos();

    record IntLit(Pos pos, long value) implements Expr {}

    record FloatLit(Pos pos, double value) implements Expr {}

    record StrLit(Pos pos, String value) implements Expr {}

    /** An absolute, canonical path literal. */
    record PathLit(Pos pos, String path) implements Expr {}

    /**
     * A variable. Before {@link Resolver} runs, {@code level} is -1. Afterwards either
     * {@code fromWith} is false and the value lives {@code level} environments up at slot
     * {@code index}, or it is looked up in the enclosing {@code with} scopes.
     */
    record Var(Pos pos, String name, int level, int index, boolean fromWith) implements Expr {
        public Var(Pos pos, String name) {
            this(pos, name, -1, -1, false);
        }
    }

    /** One element of an attribute path: a static name or an interpolated expression. */
    record AttrName(String name, Expr dynamic) {
        public static AttrName of(String name) {
            return new AttrName(name, null);
        }

        public boolean isStatic() {
            return dynamic == null;
        }
    }

    record Select(Pos pos, Expr target, List<AttrName> path, Expr orDefault) implements Expr {}

    record HasAttr(Pos pos, Expr target, List<AttrName> path) implements Expr {}

    /** {@code inherited} bindings are evaluated in the enclosing scope even inside rec / let. */
    record Binding(String name, Expr value, boolean inherited, Pos pos) {}

    record DynamicBinding(Expr name, Expr value, Pos pos) {}

    /**
     * An attribute set or the bindings of a let. The static {@code bindings} are sorted by name
     * and unique (as the parser builds them); {@code names}/{@code positions} are their names and
     * positions as arrays, shared by every set this expression evaluates to.
     */
    record Attrs(Pos pos, boolean rec, List<Binding> bindings, List<DynamicBinding> dynamics, String[] names, Pos[] positions)
            implements Expr {
        public Attrs(Pos pos, boolean rec, List<Binding> bindings, List<DynamicBinding> dynamics) {
            this(pos, rec, bindings, dynamics, bindings.stream().map(Binding::name).toArray(String[]::new),
                    bindings.stream().map(Binding::pos).toArray(Pos[]::new));
        }
    }

    record ListLit(Pos pos, List<Expr> items) implements Expr {}

    record Formal(String name, Expr defaultValue, Pos pos) {}

    /** {@code { a, b ? 1, ... }}; formals are sorted by name as Nix keeps them. */
    record Formals(List<Formal> formals, boolean ellipsis) {}

    /**
     * A function; {@code arg} (the name bound to the whole argument) and {@code formals} may each be
     * null. {@code name} is the attribute or let binding it was defined as (for messages), or null.
     */
    record Lambda(Pos pos, String arg, Formals formals, Expr body, String name) implements Expr {
        public Lambda(Pos pos, String arg, Formals formals, Expr body) {
            this(pos, arg, formals, body, null);
        }

        /** Names this function and the functions it returns directly ({@code f = x: y: ...}), as Nix does. */
        public Lambda named(String n) {
            return new Lambda(pos, arg, formals, body instanceof Lambda l ? l.named(n) : body, n);
        }
    }

    record Call(Pos pos, Expr fn, List<Expr> args) implements Expr {}

    record Let(Pos pos, Attrs bindings, Expr body) implements Expr {}

    record With(Pos pos, Expr scope, Expr body) implements Expr {}

    record If(Pos pos, Expr cond, Expr then, Expr otherwise) implements Expr {}

    record Assert(Pos pos, Expr cond, Expr body) implements Expr {}

    record Not(Pos pos, Expr operand) implements Expr {}

    enum Op { EQ, NEQ, AND, OR, IMPL, UPDATE, CONCAT_LISTS }

    record BinOp(Pos pos, Op op, Expr left, Expr right) implements Expr {}

    /** {@code a + b} ({@code forceString} false) and string interpolation (true). */
    /**
     * {@code "a${b}"}, paths with interpolations, and {@code +}. {@code positions} holds where
     * each part starts as Nix records it, which is where a failing coercion of that part is
     * reported: an interpolation at its {@code ${}, an operand of {@code +} at its first token.
     */
    record Concat(Pos pos, boolean forceString, List<Expr> parts, List<Pos> positions) implements Expr {
        public Concat {
            if (positions.size() != parts.size()) throw new IllegalArgumentException("one position per part");
        }
    }

    /** {@code __curPos}. */
    record CurPos(Pos pos) implements Expr {}
}
