package dev.flotilla.eval.print;

import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Interpreter;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixBool;
import dev.flotilla.eval.NixFloat;
import dev.flotilla.eval.NixFunction;
import dev.flotilla.eval.NixInt;
import dev.flotilla.eval.NixList;
import dev.flotilla.eval.NixNull;
import dev.flotilla.eval.NixPath;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Value;
import java.util.Set;

/** {@code builtins.toJSON} / {@code --json}: compact JSON; paths are copied to the store; sets with __toString / outPath become strings. */
public final class JsonPrinter {
    private final Interpreter in;
    private final Set<String> context;
    private final Pos pos;
    private final StringBuilder out = new StringBuilder();

    private JsonPrinter(Interpreter in, Set<String> context, Pos pos) {
        this.in = in;
        this.context = context;
        this.pos = pos;
    }

    /** Forces {@code v} deeply as it goes; adds string contexts met on the way to {@code context}. */
    public static String print(Interpreter in, Lazy v, Set<String> context, Pos pos) {
        JsonPrinter p = new JsonPrinter(in, context, pos);
        p.write(v, pos);
        return p.out.toString();
    }

    /** {@code at}: where Nix 2.8 says the value is (an attribute's definition, else the call). */
    private void write(Lazy l, Pos at) {
        Value v = l.force();
        switch (v) {
            case NixInt i -> out.append(i.value());
            case NixFloat f -> out.append(FloatFormat.format(f.value()));
            case NixBool b -> out.append(b.value());
            case NixNull n -> out.append("null");
            case NixString s -> {
                context.addAll(s.context());
                string(out, s.value());
            }
            case NixPath p -> {
                String sp = in.session().store().copyPath(p.path(), pos);
                context.add(sp);
                string(out, sp);
            }
            case NixAttrs a -> attrs(a);
            case NixList list -> {
                out.append('[');
                for (int k = 0; k < list.size(); k++) {
                    if (k > 0) out.append(',');
                    write(list.get(k), at);
                }
                out.append(']');
            }
            case NixFunction f -> {
                // Nix 2.8 reports a lambda where it is written, with this odd frame at the value
                Pos where = f instanceof NixFunction.Lambda lambda ? lambda.expr().pos() : at;
                throw new EvalException(where, "cannot convert a function to JSON").addTrace(at, "message for the trace");
            }
        }
    }

    private void attrs(NixAttrs a) {
        if (a.has("__toString")) {
            NixString s = dev.flotilla.eval.Coercion.toNixString(in, a, dev.flotilla.eval.Coercion.Mode.INTERPOLATE, false, pos);
            context.addAll(s.context());
            string(out, s.value());
            return;
        }
        Lazy outPath = a.get("outPath");
        if (outPath != null) {
            write(outPath, a.position("outPath"));
            return;
        }
        out.append('{');
        for (int k = 0; k < a.size(); k++) {
            if (k > 0) out.append(',');
            string(out, a.name(k));
            out.append(':');
            write(a.value(k), a.position(a.name(k)));
        }
        out.append('}');
    }

    public static void string(StringBuilder out, String s) {
        out.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
