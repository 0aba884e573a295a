package dev.flotilla.eval.syntax;

import static dev.flotilla.eval.syntax.TokenKind.*;

import dev.flotilla.eval.Pos;
import dev.flotilla.eval.syntax.Expr.Concat;
import dev.flotilla.eval.syntax.Expr.PathLit;
import dev.flotilla.eval.syntax.Expr.StrLit;
import java.util.ArrayList;
import java.util.List;

/**
 * Strings and paths, whose pieces the {@link Lexer} has already split: literal text, and
 * interpolations parsed back through {@link Parser#expr()}. Path literals are made absolute here.
 */
final class StringParser {
    private final TokenCursor in;
    private final Parser parser;
    private final String baseDir;
    private final String home;

    StringParser(TokenCursor in, Parser parser, String baseDir, String home) {
        this.in = in;
        this.parser = parser;
        this.baseDir = baseDir;
        this.home = home;
    }

    /** After the opening quote, up to and including the closing one. */
    Expr string(Pos pos) {
        List<Expr> parts = new ArrayList<>();
        List<Pos> positions = new ArrayList<>();
        boolean interpolated = false;
        while (!in.at(QUOTE)) {
            if (!in.at(STR) && !in.at(DOLLAR_CURLY)) throw in.unexpected();
            Token t = in.next();
            if (t.is(STR)) {
                parts.add(new StrLit(t.pos(), t.text()));
            } else {
                parts.add(interpolation());
                interpolated = true;
            }
            positions.add(t.pos());
        }
        in.next();
        if (parts.isEmpty()) return new StrLit(pos, "");
        // As in Nix, "${"a"}" stays a concatenation: as an attribute name it is dynamic, not static.
        if (!interpolated && parts.size() == 1 && parts.get(0) instanceof StrLit s) return new StrLit(pos, s.value());
        // Nix places the whole string where its first part starts (after the quote)
        return new Concat(positions.get(0), true, List.copyOf(parts), List.copyOf(positions));
    }

    /** An interpolation in an indented string, with the position of its {@code ${}. */
    record Interpolation(Pos pos, Expr expr) {}

    /** After {@code ${}, up to and including the closing brace. */
    Expr interpolation() {
        Expr e = parser.expr();
        in.expect(RBRACE);
        return e;
    }

    /** The pieces of an indented string, for {@link IndentedStrings#build}. */
    List<Object> indParts() {
        List<Object> parts = new ArrayList<>();
        while (!in.at(IND_CLOSE)) {
            if (!in.at(IND_STR) && !in.at(DOLLAR_CURLY)) throw in.unexpected();
            Token t = in.next();
            if (t.is(IND_STR)) parts.add(t);
            else parts.add(new Interpolation(t.pos(), interpolation()));
        }
        in.next();
        return parts;
    }

    Expr path(Token t) {
        String text = t.text();
        String path;
        if (t.is(HPATH)) {
            path = home + text.substring(1);
        } else {
            path = Paths.canon(text.startsWith("/") ? text : baseDir + "/" + text);
            if (text.endsWith("/") && text.length() > 1) path += "/";
        }
        Expr head = new PathLit(t.pos(), path);
        List<Expr> parts = new ArrayList<>();
        List<Pos> positions = new ArrayList<>();
        parts.add(head);
        positions.add(t.pos());
        while (!in.at(PATH_END)) {
            if (!in.at(STR) && !in.at(DOLLAR_CURLY)) throw in.unexpected();
            Token s = in.next();
            if (s.is(STR)) parts.add(new StrLit(s.pos(), s.text()));
            else parts.add(interpolation());
            positions.add(s.pos());
        }
        in.next();
        return parts.size() == 1 ? head : new Concat(t.pos(), false, List.copyOf(parts), List.copyOf(positions));
    }
}
