package dev.flotilla.eval.builtins;

import dev.flotilla.eval.builtins.Derivations.Drv;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/** The exact ATerm serialisation of a .drv (spec §4.2). */
final class ATerm {
    private ATerm() {}

    /**
     * @param inputsOverride replaces inputDrvs (for hashDerivationModulo), or null
     * @param mask blank output paths and the env entries named after outputs
     */
    static String write(Drv d, SortedMap<String, TreeSet<String>> inputsOverride, boolean mask) {
        StringBuilder sb = new StringBuilder("Derive([");
        boolean first = true;
        for (Map.Entry<String, Derivations.Output> o : d.outputs().entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append("(\"").append(o.getKey()).append("\",\"").append(mask ? "" : o.getValue().path()).append("\",\"")
                    .append(o.getValue().hashAlgo()).append("\",\"").append(o.getValue().hash()).append("\")");
        }
        sb.append("],[");
        first = true;
        for (Map.Entry<String, TreeSet<String>> e : (inputsOverride != null ? inputsOverride : d.inputDrvs()).entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append("(\"").append(e.getKey()).append("\",[");
            sb.append(String.join(",", e.getValue().stream().map(x -> "\"" + x + "\"").toList()));
            sb.append("])");
        }
        sb.append("],[");
        sb.append(String.join(",", d.inputSrcs().stream().map(x -> "\"" + x + "\"").toList()));
        sb.append("],\"").append(d.platform()).append("\",");
        str(sb, d.builder());
        sb.append(",[");
        first = true;
        for (String a : d.args()) {
            if (!first) sb.append(',');
            first = false;
            str(sb, a);
        }
        sb.append("],[");
        first = true;
        for (Map.Entry<String, String> e : d.env().entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append('(');
            str(sb, e.getKey());
            sb.append(',');
            str(sb, mask && d.outputs().containsKey(e.getKey()) ? "" : e.getValue());
            sb.append(')');
        }
        return sb.append("])").toString();
    }

    private static void str(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        sb.append('"');
    }
}
