package dev.flotilla.eval.syntax;

import static dev.flotilla.eval.syntax.TokenKind.*;

import dev.flotilla.eval.ParseException;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.syntax.Expr.*;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for the Nix 2.8 grammar. Operator precedence follows parser.y
 * (see {@link #binaryPrec}); string and path pieces come pre-split by the {@link Lexer} and are
 * parsed by {@link StringParser}, attribute bindings by {@link BindingParser}.
 * The result still has unresolved variables: run {@link Resolver} next.
 */
public final class Parser {
    private final TokenCursor in;
    private final StringParser strings;
    private final BindingParser bindings;

    private Parser(List<Token> toks, String baseDir, String home) {
        this.in = new TokenCursor(toks);
        this.strings = new StringParser(in, this, baseDir, home);
        this.bindings = new BindingParser(in, this, strings);
    }

    /** Parses a whole file or string; {@code baseDir} anchors relative path literals. */
    public static Expr parse(String src, String file, String baseDir, String home) {
        Parser ps = new Parser(Lexer.lex(src, file), baseDir, home);
        Expr e = ps.expr();
        ps.in.expect(EOF);
        return e;
    }

    // ---------------------------------------------------------------- expressions

    /** Package-private: string interpolations and bindings parse their expressions through here. */
    Expr expr() {
        Token t = in.peek();
        switch (t.kind()) {
            case ID -> {
                if (in.peek(1).is(COLON)) {
                    in.next();
                    in.next();
                    return new Lambda(t.pos(), t.text(), null, expr());
                }
                if (in.peek(1).is(AT) && in.peek(2).is(LBRACE)) {
                    in.next();
                    in.next();
                    Formals f = formals();
                    in.expect(COLON);
                    checkArgName(f, t.text(), t.pos());
                    return new Lambda(t.pos(), t.text(), f, expr());
                }
            }
            case LBRACE -> {
                if (formalsAhead()) return setPatternLambda();
            }
            case ASSERT -> {
                in.next();
                Expr cond = expr();
                in.expect(SEMI);
                return new Assert(t.pos(), cond, expr());
            }
            case WITH -> {
                in.next();
                Expr scope = expr();
                in.expect(SEMI);
                return new With(t.pos(), scope, expr());
            }
            case LET -> {
                if (!in.peek(1).is(LBRACE)) {
                    in.next();
                    AttrsBuilder b = bindings.binds(t.pos(), BindingParser.after(t), true, IN);
                    if (b.hasDynamics()) throw new ParseException(t.pos(), "dynamic attributes not allowed in let");
                    in.expect(IN);
                    return new Let(t.pos(), b.build(), expr());
                }
            }
            case IF -> {
                in.next();
                Expr c = expr();
                in.expect(THEN);
                Expr a = expr();
                in.expect(ELSE);
                return new If(t.pos(), c, a, expr());
            }
            default -> { }
        }
        return op(0);
    }

    private boolean formalsAhead() {
        Token a = in.peek(1);
        return switch (a.kind()) {
            case RBRACE -> in.peek(2).is(COLON) || in.peek(2).is(AT);
            case ELLIPSIS -> true;
            case ID -> in.peek(2).is(COMMA) || in.peek(2).is(QUESTION) || (in.peek(2).is(RBRACE) && (in.peek(3).is(COLON) || in.peek(3).is(AT)));
            default -> false;
        };
    }

    private Expr setPatternLambda() {
        Pos pos = in.peek().pos();
        Formals f = formals();
        String arg = null;
        if (in.at(AT)) {
            in.next();
            Token id = in.expect(ID);
            arg = id.text();
            checkArgName(f, arg, id.pos());
        }
        in.expect(COLON);
        return new Lambda(pos, arg, f, expr());
    }

    private void checkArgName(Formals f, String arg, Pos pos) {
        for (Formal x : f.formals()) {
            if (x.name().equals(arg)) throw new ParseException(pos, "duplicate formal function argument '" + arg + "'");
        }
    }

    private Formals formals() {
        in.expect(LBRACE);
        List<Formal> list = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean ellipsis = false;
        while (!in.at(RBRACE)) {
            if (in.at(ELLIPSIS)) {
                in.next();
                ellipsis = true;
                break;
            }
            Token id = in.expect(ID);
            Expr def = null;
            if (in.at(QUESTION)) {
                in.next();
                def = expr();
            }
            if (!seen.add(id.text())) {
                throw new ParseException(id.pos(), "duplicate formal function argument '" + id.text() + "'");
            }
            list.add(new Formal(id.text(), def, id.pos()));
            if (!in.at(COMMA)) break;
            in.next();
        }
        in.expect(RBRACE);
        list.sort((x, y) -> x.name().compareTo(y.name()));
        return new Formals(List.copyOf(list), ellipsis);
    }

    /** Binary precedence per parser.y (higher binds tighter); -1 if not a binary operator. */
    private static int binaryPrec(TokenKind k) {
        return switch (k) {
            case IMPL -> 1;
            case OR -> 2;
            case AND -> 3;
            case EQ, NEQ -> 4;
            case LT, GT, LEQ, GEQ -> 5;
            case UPDATE -> 6;
            case PLUS, MINUS -> 8;
            case STAR, SLASH -> 9;
            case CONCAT -> 10;
            case QUESTION -> 11;
            default -> -1;
        };
    }

    private static final int PREC_NOT = 7;
    private static final int PREC_NEGATE = 12;

    /** Operators take the position where their left operand starts, as Nix's CUR_POS does. */
    private Expr op(int minPrec) {
        Expr lhs;
        Token t = in.peek();
        Pos start = t.pos();
        if (t.is(NOT)) {
            in.next();
            lhs = new Not(t.pos(), op(PREC_NOT + 1));
        } else if (t.is(MINUS)) {
            in.next();
            lhs = call(t.pos(), "__sub", new IntLit(t.pos(), 0), op(PREC_NEGATE + 1));
        } else {
            lhs = app();
        }
        while (true) {
            Token o = in.peek();
            int prec = binaryPrec(o.kind());
            if (prec < 0 || prec < minPrec) return lhs;
            in.next();
            if (o.is(QUESTION)) {
                lhs = new HasAttr(o.pos(), lhs, bindings.attrPath());
                if (in.at(QUESTION)) throw in.unexpected();
                continue;
            }
            boolean right = o.is(IMPL) || o.is(UPDATE) || o.is(CONCAT);
            Pos rhsStart = in.peek().pos();
            Expr rhs = op(right ? prec : prec + 1);
            lhs = binary(o, start, lhs, rhs, rhsStart);
            boolean nonAssoc = prec == 4 || prec == 5;
            if (nonAssoc && binaryPrec(in.peek().kind()) == prec) throw in.unexpected();
        }
    }

    /** {@code rStart}: where the right operand starts (a parenthesis included), for {@code +}. */
    private Expr binary(Token o, Pos pos, Expr l, Expr r, Pos rStart) {
        return switch (o.kind()) {
            case IMPL -> new BinOp(pos, Op.IMPL, l, r);
            case OR -> new BinOp(pos, Op.OR, l, r);
            case AND -> new BinOp(pos, Op.AND, l, r);
            case EQ -> new BinOp(pos, Op.EQ, l, r);
            case NEQ -> new BinOp(pos, Op.NEQ, l, r);
            case UPDATE -> new BinOp(pos, Op.UPDATE, l, r);
            case CONCAT -> new BinOp(pos, Op.CONCAT_LISTS, l, r);
            case LT -> call(pos, "__lessThan", l, r);
            case GT -> call(pos, "__lessThan", r, l);
            case LEQ -> new Not(pos, call(pos, "__lessThan", r, l));
            case GEQ -> new Not(pos, call(pos, "__lessThan", l, r));
            case PLUS -> new Concat(pos, false, List.of(l, r), List.of(pos, rStart));
            case MINUS -> call(pos, "__sub", l, r);
            case STAR -> call(pos, "__mul", l, r);
            case SLASH -> call(pos, "__div", l, r);
            default -> throw in.unexpected();
        };
    }

    private static Expr call(Pos pos, String fn, Expr a, Expr b) {
        return new Call(pos, new Var(pos, fn), List.of(a, b));
    }

    /**
     * A call's position is where its function expression starts (including a parenthesis). As in
     * Nix's grammar, applying a call, even a parenthesised one ({@code (f a) b}, {@code (x < y) z}),
     * adds the arguments to that call rather than making a new one.
     */
    private Expr app() {
        Pos start = in.peek().pos();
        Expr fn = select();
        List<Expr> args = null;
        while (startsSimple(in.peek().kind())) {
            if (args == null) args = new ArrayList<>();
            args.add(select());
        }
        if (args == null) return fn;
        if (fn instanceof Call inner) {
            List<Expr> all = new ArrayList<>(inner.args());
            all.addAll(args);
            return new Call(inner.pos(), inner.fn(), List.copyOf(all));
        }
        return new Call(start, fn, List.copyOf(args));
    }

    private static boolean startsSimple(TokenKind k) {
        return switch (k) {
            case ID, INT, FLOAT, QUOTE, IND_OPEN, PATH, HPATH, SPATH, URI, LPAREN, LET, REC, LBRACE, LBRACK -> true;
            default -> false;
        };
    }

    /** A selection's position is where the selected expression starts (including a parenthesis). */
    private Expr select() {
        Pos start = in.peek().pos();
        Expr e = simple();
        if (in.at(DOT)) {
            in.next();
            List<AttrName> path = bindings.attrPath();
            Expr def = null;
            if (in.at(OR_KW)) {
                in.next();
                def = select();
            }
            return new Select(start, e, path, def);
        }
        if (in.at(OR_KW)) {
            Token o = in.next();
            return new Call(start, e, List.of(new Var(o.pos(), "or")));
        }
        return e;
    }

    private Expr simple() {
        int start = in.mark();
        Token t = in.next();
        return switch (t.kind()) {
            case ID -> t.text().equals("__curPos") ? new CurPos(t.pos()) : new Var(t.pos(), t.text());
            case INT -> intLit(t);
            case FLOAT -> new FloatLit(t.pos(), Double.parseDouble(t.text()));
            case QUOTE -> strings.string(t.pos());
            case IND_OPEN -> IndentedStrings.build(t.pos(), strings.indParts());
            case PATH, HPATH -> strings.path(t);
            case SPATH -> new Call(t.pos(), new Var(t.pos(), "__findFile"), List.of(new Var(t.pos(), "__nixPath"),
                    new StrLit(t.pos(), t.text().substring(1, t.text().length() - 1))));
            case URI -> new StrLit(t.pos(), t.text());
            case LPAREN -> {
                Expr e = expr();
                in.expect(RPAREN);
                yield e;
            }
            case LET -> {
                Token open = in.expect(LBRACE);
                AttrsBuilder b = bindings.binds(t.pos(), BindingParser.after(open), true, RBRACE);
                in.expect(RBRACE);
                yield new Select(t.pos(), b.build(), List.of(AttrName.of("body")), null);
            }
            case REC -> {
                Token open = in.expect(LBRACE);
                AttrsBuilder b = bindings.binds(t.pos(), BindingParser.after(open), true, RBRACE);
                in.expect(RBRACE);
                yield b.build();
            }
            case LBRACE -> {
                AttrsBuilder b = bindings.binds(t.pos(), BindingParser.after(t), false, RBRACE);
                in.expect(RBRACE);
                yield b.build();
            }
            case LBRACK -> {
                List<Expr> items = new ArrayList<>();
                while (!in.at(RBRACK)) {
                    if (!startsSimple(in.peek().kind())) throw in.unexpected();
                    items.add(select());
                }
                in.next();
                yield new ListLit(t.pos(), List.copyOf(items));
            }
            default -> {
                in.reset(start);
                throw in.unexpected();
            }
        };
    }

    private Expr intLit(Token t) {
        try {
            return new IntLit(t.pos(), Long.parseLong(t.text()));
        } catch (NumberFormatException e) {
            throw new ParseException(t.pos(), "invalid integer '" + t.text() + "'");
        }
    }
}
