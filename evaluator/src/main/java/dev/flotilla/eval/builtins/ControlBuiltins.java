package dev.flotilla.eval.builtins;

import dev.flotilla.eval.CatchableException;
import dev.flotilla.eval.Coercion;
import dev.flotilla.eval.Coercion.Mode;
import dev.flotilla.eval.Deep;
import dev.flotilla.eval.Equality;
import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Force;
import dev.flotilla.eval.Interpreter;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixBool;
import dev.flotilla.eval.NixList;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Value;
import dev.flotilla.eval.print.ValuePrinter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;

/** Errors, strictness and tracing. */
final class ControlBuiltins {
    private ControlBuiltins() {}

    static void register(Registry r) {
        r.add("throw", 1, ControlBuiltins::throwFn);
        r.add("abort", 1, ControlBuiltins::abort);
        r.add("tryEval", 1, ControlBuiltins::tryEval);
        r.add("seq", 2, ControlBuiltins::seq);
        r.add("deepSeq", 2, ControlBuiltins::deepSeq);
        r.add("trace", 2, ControlBuiltins::trace);
        r.add("addErrorContext", 2, ControlBuiltins::addErrorContext);
        r.add("genericClosure", 1, ControlBuiltins::genericClosure);
    }

    static Value throwFn(Interpreter in, Lazy[] a, Pos pos) {
        String msg = Coercion.toNixString(in, a[0], Mode.INTERPOLATE, false, pos).value();
        throw new CatchableException(pos, msg).withoutShownPosition();
    }

    static Value abort(Interpreter in, Lazy[] a, Pos pos) {
        String msg = Coercion.toNixString(in, a[0], Mode.INTERPOLATE, false, pos).value();
        throw new EvalException(pos, "evaluation aborted with the following error message: '" + msg + "'").withoutShownPosition();
    }

    static Value tryEval(Interpreter in, Lazy[] a, Pos pos) {
        NixAttrs.Builder b = NixAttrs.builder();
        try {
            Value v = a[0].force();
            b.put("value", v).put("success", NixBool.TRUE);
        } catch (CatchableException e) {
            b.put("value", NixBool.FALSE).put("success", NixBool.FALSE);
        }
        return b.build();
    }

    static Value seq(Interpreter in, Lazy[] a, Pos pos) {
        a[0].force();
        return a[1].force();
    }

    static Value deepSeq(Interpreter in, Lazy[] a, Pos pos) {
        Deep.force(a[0]);
        return a[1].force();
    }

    static Value trace(Interpreter in, Lazy[] a, Pos pos) {
        Value v = a[0].force();
        String shown = v instanceof NixString s ? s.value() : ValuePrinter.print(v, false);
        in.session().options().traceSink().println("trace: " + dev.flotilla.eval.Bytes.toJava(shown));
        return a[1].force();
    }

    static Value addErrorContext(Interpreter in, Lazy[] a, Pos pos) {
        try {
            return a[1].force();
        } catch (EvalException e) {
            // Nix 2.8 gives these frames no position
            throw e.addTrace(Pos.NONE, Coercion.toNixString(in, a[0], Mode.INTERPOLATE, false, pos).value());
        }
    }

    static Value genericClosure(Interpreter in, Lazy[] a, Pos pos) {
        NixAttrs args = Force.attrs(a[0], pos);
        Lazy start = args.get("startSet");
        Lazy op = args.get("operator");
        if (start == null) throw AttrBuiltins.missing("startSet", "genericClosure", args, pos);
        if (op == null) throw AttrBuiltins.missing("operator", "genericClosure", args, pos);
        Deque<Lazy> work = new ArrayDeque<>(Force.list(start, pos).items());
        TreeSet<Lazy> seen = new TreeSet<>((x, y) -> Equality.lessThan(x, y, pos) ? -1 : Equality.lessThan(y, x, pos) ? 1 : 0);
        List<Lazy> out = new ArrayList<>();
        Value f = op.force();
        while (!work.isEmpty()) {
            Lazy e = work.pollFirst();
            Lazy key = Force.attrs(e, pos).get("key");
            if (key == null) throw new EvalException(pos, "attribute 'key' required");
            key.force();
            if (!seen.add(key)) continue;
            out.add(e);
            work.addAll(Force.list(in.apply(f, e, Pos.NONE), pos).items());
        }
        return new NixList(out);
    }
}
