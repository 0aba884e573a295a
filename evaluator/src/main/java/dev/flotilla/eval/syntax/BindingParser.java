package dev.flotilla.eval.syntax;

import static dev.flotilla.eval.syntax.TokenKind.*;

import dev.flotilla.eval.ParseException;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.syntax.Expr.AttrName;
import dev.flotilla.eval.syntax.Expr.Select;
import dev.flotilla.eval.syntax.Expr.StrLit;
import dev.flotilla.eval.syntax.Expr.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * Attribute paths and the bindings of sets and {@code let}: {@code a.b = e;} and
 * {@code inherit (from) x y;}. The Nix rules for merging nested keys live in {@link AttrsBuilder}.
 */
final class BindingParser {
    private final TokenCursor in;
    private final Parser parser;
    private final StringParser strings;

    BindingParser(TokenCursor in, Parser parser, StringParser strings) {
        this.in = in;
        this.parser = parser;
        this.strings = strings;
    }

    List<AttrName> attrPath() {
        List<AttrName> path = new ArrayList<>();
        path.add(attrName());
        while (in.at(DOT)) {
            in.next();
            path.add(attrName());
        }
        return List.copyOf(path);
    }

    private AttrName attrName() {
        int start = in.mark();
        Token t = in.next();
        return switch (t.kind()) {
            case ID -> AttrName.of(t.text());
            case OR_KW -> AttrName.of("or");
            case QUOTE -> {
                Expr s = strings.string(t.pos());
                yield s instanceof StrLit lit ? AttrName.of(lit.value()) : new AttrName(null, s);
            }
            case DOLLAR_CURLY -> {
                Expr e = strings.interpolation();
                yield e instanceof StrLit lit ? AttrName.of(lit.value()) : new AttrName(null, e);
            }
            default -> {
                in.reset(start);
                throw in.unexpected();
            }
        };
    }

    /**
     * Bindings up to (not including) {@code end}. {@code start} is where Nix's grammar says the
     * bindings begin: right after the token before them ({@code {}, {@code let}); the
     * expressions that {@code inherit} makes are placed there, as Nix places them.
     */
    AttrsBuilder binds(Pos pos, Pos start, boolean rec, TokenKind end) {
        AttrsBuilder b = new AttrsBuilder(pos, rec);
        while (!in.at(end)) {
            if (in.at(INHERIT)) {
                inherit(b, start);
                continue;
            }
            Token first = in.peek();
            List<AttrName> path = attrPath();
            in.expect(ASSIGN);
            Expr value = parser.expr();
            in.expect(SEMI);
            b.add(path, value, first.pos());
        }
        return b;
    }

    /**
     * {@code inherit x y;} / {@code inherit (from) x y;}. Like Nix, every name gets the position
     * right after the {@code inherit} keyword (or the closing parenthesis), and the variable or
     * selection it stands for is placed at {@code start}, the beginning of the enclosing bindings.
     */
    private void inherit(AttrsBuilder b, Pos start) {
        Pos at = after(in.next());
        Expr from = null;
        if (in.at(LPAREN)) {
            in.next();
            from = parser.expr();
            at = after(in.expect(RPAREN));
        }
        while (!in.at(SEMI)) {
            Token t = in.peek();
            AttrName n = attrName();
            if (!n.isStatic()) throw new ParseException(t.pos(), "dynamic attributes not allowed in inherit");
            if (from == null) b.inherit(n.name(), new Var(start, n.name()), true, at);
            else b.inherit(n.name(), new Select(start, from, List.of(n), null), false, at);
        }
        in.next();
    }

    /** The position just past a one-line token (a keyword or punctuation). */
    static Pos after(Token t) {
        Pos p = t.pos();
        return new Pos(p.file(), p.line(), p.column() + t.text().length(), p.origin());
    }
}
