package dev.flotilla.eval.builtins;

import dev.flotilla.eval.Force;
import dev.flotilla.eval.Interpreter;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixBool;
import dev.flotilla.eval.NixFloat;
import dev.flotilla.eval.NixInt;
import dev.flotilla.eval.NixList;
import dev.flotilla.eval.NixNull;
import dev.flotilla.eval.NixPath;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Value;

/** Type predicates and {@code typeOf}. */
final class TypeBuiltins {
    private TypeBuiltins() {}

    static void register(Registry r) {
        r.add("isString", 1, TypeBuiltins::isString);
        r.add("isInt", 1, TypeBuiltins::isInt);
        r.add("isFloat", 1, TypeBuiltins::isFloat);
        r.add("isBool", 1, TypeBuiltins::isBool);
        r.add("isNull", 1, TypeBuiltins::isNull);
        r.add("isList", 1, TypeBuiltins::isList);
        r.add("isAttrs", 1, TypeBuiltins::isAttrs);
        r.add("isPath", 1, TypeBuiltins::isPath);
        r.add("isFunction", 1, TypeBuiltins::isFunction);
        r.add("typeOf", 1, TypeBuiltins::typeOf);
    }

    static Value isString(Interpreter in, Lazy[] a, Pos pos) {
        return NixBool.of(a[0].force() instanceof NixString);
    }

    static Value isInt(Interpreter in, Lazy[] a, Pos pos) {
        return NixBool.of(a[0].force() instanceof NixInt);
    }

    static Value isFloat(Interpreter in, Lazy[] a, Pos pos) {
        return NixBool.of(a[0].force() instanceof NixFloat);
    }

    static Value isBool(Interpreter in, Lazy[] a, Pos pos) {
        return NixBool.of(a[0].force() instanceof NixBool);
    }

    static Value isNull(Interpreter in, Lazy[] a, Pos pos) {
        return NixBool.of(a[0].force() == NixNull.NULL);
    }

    static Value isList(Interpreter in, Lazy[] a, Pos pos) {
        return NixBool.of(a[0].force() instanceof NixList);
    }

    static Value isAttrs(Interpreter in, Lazy[] a, Pos pos) {
        return NixBool.of(a[0].force() instanceof NixAttrs);
    }

    static Value isPath(Interpreter in, Lazy[] a, Pos pos) {
        return NixBool.of(a[0].force() instanceof NixPath);
    }

    static Value isFunction(Interpreter in, Lazy[] a, Pos pos) {
        return NixBool.of(a[0].force() instanceof dev.flotilla.eval.NixFunction);
    }

    static Value typeOf(Interpreter in, Lazy[] a, Pos pos) {
        return new NixString(a[0].force().typeOf());
    }

}
