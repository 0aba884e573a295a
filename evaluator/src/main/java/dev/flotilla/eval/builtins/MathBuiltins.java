package dev.flotilla.eval.builtins;

import dev.flotilla.eval.Equality;
import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Force;
import dev.flotilla.eval.Interpreter;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixBool;
import dev.flotilla.eval.NixFloat;
import dev.flotilla.eval.NixInt;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Value;

/** Arithmetic: ints wrap around on overflow (64-bit), mixing with a float gives a float. */
final class MathBuiltins {
    private MathBuiltins() {}

    static void register(Registry r) {
        r.add("add", 2, MathBuiltins::add);
        r.add("sub", 2, MathBuiltins::sub);
        r.add("mul", 2, MathBuiltins::mul);
        r.add("div", 2, MathBuiltins::div);
        r.add("lessThan", 2, MathBuiltins::lessThan);
        r.add("bitAnd", 2, MathBuiltins::bitAnd);
        r.add("bitOr", 2, MathBuiltins::bitOr);
        r.add("bitXor", 2, MathBuiltins::bitXor);
        r.add("ceil", 1, MathBuiltins::ceil);
        r.add("floor", 1, MathBuiltins::floor);
    }

    private static boolean anyFloat(Value x, Value y) {
        return x instanceof NixFloat || y instanceof NixFloat;
    }

    static Value add(Interpreter in, Lazy[] a, Pos pos) {
        Value x = a[0].force(), y = a[1].force();
        if (anyFloat(x, y)) return new NixFloat(Force.number(x, pos) + Force.number(y, pos));
        return new NixInt(Force.integer(x, pos) + Force.integer(y, pos));
    }

    static Value sub(Interpreter in, Lazy[] a, Pos pos) {
        Value x = a[0].force(), y = a[1].force();
        if (anyFloat(x, y)) return new NixFloat(Force.number(x, pos) - Force.number(y, pos));
        return new NixInt(Force.integer(x, pos) - Force.integer(y, pos));
    }

    static Value mul(Interpreter in, Lazy[] a, Pos pos) {
        Value x = a[0].force(), y = a[1].force();
        if (anyFloat(x, y)) return new NixFloat(Force.number(x, pos) * Force.number(y, pos));
        return new NixInt(Force.integer(x, pos) * Force.integer(y, pos));
    }

    static Value div(Interpreter in, Lazy[] a, Pos pos) {
        Value x = a[0].force(), y = a[1].force();
        if (Force.number(y, pos) == 0) throw new EvalException(pos, "division by zero");
        if (anyFloat(x, y)) return new NixFloat(Force.number(x, pos) / Force.number(y, pos));
        long l = Force.integer(x, pos), r = Force.integer(y, pos);
        if (l == Long.MIN_VALUE && r == -1) throw new EvalException(pos, "overflow in integer division");
        return new NixInt(l / r);
    }

    static Value lessThan(Interpreter in, Lazy[] a, Pos pos) {
        return NixBool.of(Equality.lessThan(a[0], a[1], pos));
    }

    static Value bitAnd(Interpreter in, Lazy[] a, Pos pos) {
        return new NixInt(Force.integer(a[0], pos) & Force.integer(a[1], pos));
    }

    static Value bitOr(Interpreter in, Lazy[] a, Pos pos) {
        return new NixInt(Force.integer(a[0], pos) | Force.integer(a[1], pos));
    }

    static Value bitXor(Interpreter in, Lazy[] a, Pos pos) {
        return new NixInt(Force.integer(a[0], pos) ^ Force.integer(a[1], pos));
    }

    static Value ceil(Interpreter in, Lazy[] a, Pos pos) {
        return new NixInt((long) Math.ceil(Force.number(a[0], pos)));
    }

    static Value floor(Interpreter in, Lazy[] a, Pos pos) {
        return new NixInt((long) Math.floor(Force.number(a[0], pos)));
    }
}
