package dev.flotilla.eval.syntax;

import dev.flotilla.eval.Pos;
import dev.flotilla.eval.syntax.Expr.Concat;
import dev.flotilla.eval.syntax.Expr.StrLit;
import java.util.ArrayList;
import java.util.List;

/**
 * Nix's indentation stripping for {@code ''...''} strings: the smallest indentation of any
 * non-blank line is removed from every line; interpolations and {@code ''} escapes end the
 * leading whitespace of their line; a last line of only spaces is dropped.
 */
final class IndentedStrings {
    private IndentedStrings() {}

    /** {@code parts} holds IND_STR {@link Token}s (flag = plain text) and {@link StringParser.Interpolation}s. */
    static Expr build(Pos pos, List<Object> parts) {
        int minIndent = Integer.MAX_VALUE;
        int curIndent = 0;
        boolean atStart = true;
        for (Object part : parts) {
            if (!(part instanceof Token t) || !t.flag()) {
                if (atStart) {
                    atStart = false;
                    minIndent = Math.min(minIndent, curIndent);
                }
                continue;
            }
            for (char c : t.text().toCharArray()) {
                if (atStart) {
                    if (c == ' ') {
                        curIndent++;
                    } else if (c == '\n') {
                        curIndent = 0;
                    } else {
                        atStart = false;
                        minIndent = Math.min(minIndent, curIndent);
                    }
                } else if (c == '\n') {
                    atStart = true;
                    curIndent = 0;
                }
            }
        }

        List<Expr> out = new ArrayList<>();
        List<Pos> positions = new ArrayList<>();
        atStart = true;
        int dropped = 0;
        int remaining = parts.size();
        for (Object part : parts) {
            if (part instanceof StringParser.Interpolation i) {
                atStart = false;
                dropped = 0;
                out.add(i.expr());
                positions.add(i.pos());
                remaining--;
                continue;
            }
            Token t = (Token) part;
            StringBuilder s = new StringBuilder();
            for (char c : t.text().toCharArray()) {
                if (atStart) {
                    if (c == ' ') {
                        if (dropped++ >= minIndent) s.append(c);
                    } else if (c == '\n') {
                        dropped = 0;
                        s.append(c);
                    } else {
                        atStart = false;
                        dropped = 0;
                        s.append(c);
                    }
                } else {
                    s.append(c);
                    if (c == '\n') atStart = true;
                }
            }
            if (remaining == 1) {
                int nl = s.lastIndexOf("\n");
                if (nl >= 0 && s.substring(nl + 1).chars().allMatch(ch -> ch == ' ')) s.setLength(nl + 1);
            }
            out.add(new StrLit(t.pos(), s.toString()));
            positions.add(t.pos());
            remaining--;
        }
        if (out.isEmpty()) return new StrLit(pos, "");
        if (out.size() == 1 && out.get(0) instanceof StrLit s) return new StrLit(pos, s.value());
        return new Concat(pos, true, List.copyOf(out), List.copyOf(positions));
    }
}
