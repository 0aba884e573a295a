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
 * (see {@link #binaryPrec}); string and path pieces come pre-split by the {@link Lexer}.
 * The result still has unresolved variables: run {@link Resolver} next.
 */
public final class Parser {
    private final List<Token> toks;
    private final String baseDir;
    private final String home;
    private int p;

    private Parser(List<Token> toks, String baseDir, String home) {
        this.toks = toks;
        this.baseDir = baseDir;
        this.home = home;
    }

    /** Parses a whole file or string; {@code baseDir} anchors relative path literals. */
    public static Expr parse(String src, String file, String baseDir, String home) {
        Parser ps = new Parser(Lexer.lex(src, file), baseDir, home);
        Expr e = ps.expr();
        ps.expect(EOF);
        return e;
    }

    // ---------------------------------------------------------------- token helpers

    private Token peek() {
        return toks.get(p);
    }

    private Token peek(int ahead) {
        return toks.get(Math.min(p + ahead, toks.size() - 1));
    }

    private boolean at(TokenKind k) {
        return toks.get(p).kind() == k;
    }

    private Token next() {
        Token t = toks.get(p);
        if (t.kind() != EOF) p++;
        return t;
    }

    private Token expect(TokenKind k) {
        if (!at(k)) throw unexpected();
        return next();
    }

    private ParseException unexpected() {
        Token t = peek();
        return new ParseException(t.pos(), "syntax error, unexpected " + t.describe());
    }

    // ---------------------------------------------------------------- expressions

    private Expr expr() {
        Token t = peek();
        switch (t.kind()) {
            case ID -> {
                if (peek(1).is(COLON)) {
                    next();
                    next();
                    return new Lambda(t.pos(), t.text(), null, expr());
                }
                if (peek(1).is(AT) && peek(2).is(LBRACE)) {
                    next();
                    next();
                    Formals f = formals();
                    expect(COLON);
                    checkArgName(f, t.text(), t.pos());
                    return new Lambda(t.pos(), t.text(), f, expr());
                }
            }
            case LBRACE -> {
                if (formalsAhead()) return setPatternLambda();
            }
            case ASSERT -> {
                next();
                Expr cond = expr();
                expect(SEMI);
                return new Assert(t.pos(), cond, expr());
            }
            case WITH -> {
                next();
                Expr scope = expr();
                expect(SEMI);
                return new With(t.pos(), scope, expr());
            }
            case LET -> {
                if (!peek(1).is(LBRACE)) {
                    next();
                    AttrsBuilder b = binds(t.pos(), true, IN);
                    if (b.hasDynamics()) throw new ParseException(t.pos(), "dynamic attributes not allowed in let");
                    expect(IN);
                    return new Let(t.pos(), b.build(), expr());
                }
            }
            case IF -> {
                next();
                Expr c = expr();
                expect(THEN);
                Expr a = expr();
                expect(ELSE);
                return new If(t.pos(), c, a, expr());
            }
            default -> { }
        }
        return op(0);
    }

    private boolean formalsAhead() {
        Token a = peek(1);
        return switch (a.kind()) {
            case RBRACE -> peek(2).is(COLON) || peek(2).is(AT);
            case ELLIPSIS -> true;
            case ID -> peek(2).is(COMMA) || peek(2).is(QUESTION) || (peek(2).is(RBRACE) && (peek(3).is(COLON) || peek(3).is(AT)));
            default -> false;
        };
    }

    private Expr setPatternLambda() {
        Pos pos = peek().pos();
        Formals f = formals();
        String arg = null;
        if (at(AT)) {
            next();
            Token id = expect(ID);
            arg = id.text();
            checkArgName(f, arg, id.pos());
        }
        expect(COLON);
        return new Lambda(pos, arg, f, expr());
    }

    private void checkArgName(Formals f, String arg, Pos pos) {
        for (Formal x : f.formals()) {
            if (x.name().equals(arg)) throw new ParseException(pos, "duplicate formal function argument '" + arg + "'");
        }
    }

    private Formals formals() {
        expect(LBRACE);
        List<Formal> list = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean ellipsis = false;
        while (!at(RBRACE)) {
            if (at(ELLIPSIS)) {
                next();
                ellipsis = true;
                break;
            }
            Token id = expect(ID);
            Expr def = null;
            if (at(QUESTION)) {
                next();
                def = expr();
            }
            if (!seen.add(id.text())) {
                throw new ParseException(id.pos(), "duplicate formal function argument '" + id.text() + "'");
            }
            list.add(new Formal(id.text(), def, id.pos()));
            if (!at(COMMA)) break;
            next();
        }
        expect(RBRACE);
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
        Token t = peek();
        Pos start = t.pos();
        if (t.is(NOT)) {
            next();
            lhs = new Not(t.pos(), op(PREC_NOT + 1));
        } else if (t.is(MINUS)) {
            next();
            lhs = call(t.pos(), "__sub", new IntLit(t.pos(), 0), op(PREC_NEGATE + 1));
        } else {
            lhs = app();
        }
        while (true) {
            Token o = peek();
            int prec = binaryPrec(o.kind());
            if (prec < 0 || prec < minPrec) return lhs;
            next();
            if (o.is(QUESTION)) {
                lhs = new HasAttr(o.pos(), lhs, attrPath());
                if (at(QUESTION)) throw unexpected();
                continue;
            }
            boolean right = o.is(IMPL) || o.is(UPDATE) || o.is(CONCAT);
            Expr rhs = op(right ? prec : prec + 1);
            lhs = binary(o, start, lhs, rhs);
            boolean nonAssoc = prec == 4 || prec == 5;
            if (nonAssoc && binaryPrec(peek().kind()) == prec) throw unexpected();
        }
    }

    private Expr binary(Token o, Pos pos, Expr l, Expr r) {
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
            case PLUS -> new Concat(pos, false, List.of(l, r));
            case MINUS -> call(pos, "__sub", l, r);
            case STAR -> call(pos, "__mul", l, r);
            case SLASH -> call(pos, "__div", l, r);
            default -> throw unexpected();
        };
    }

    private static Expr call(Pos pos, String fn, Expr a, Expr b) {
        return new Call(pos, new Var(pos, fn), List.of(a, b));
    }

    /** A call's position is where its function expression starts (including a parenthesis). */
    private Expr app() {
        Pos start = peek().pos();
        Expr fn = select();
        List<Expr> args = null;
        while (startsSimple(peek().kind())) {
            if (args == null) args = new ArrayList<>();
            args.add(select());
        }
        return args == null ? fn : new Call(start, fn, List.copyOf(args));
    }

    private static boolean startsSimple(TokenKind k) {
        return switch (k) {
            case ID, INT, FLOAT, QUOTE, IND_OPEN, PATH, HPATH, SPATH, URI, LPAREN, LET, REC, LBRACE, LBRACK -> true;
            default -> false;
        };
    }

    /** A selection's position is where the selected expression starts (including a parenthesis). */
    private Expr select() {
        Pos start = peek().pos();
        Expr e = simple();
        if (at(DOT)) {
            next();
            List<AttrName> path = attrPath();
            Expr def = null;
            if (at(OR_KW)) {
                next();
                def = select();
            }
            return new Select(start, e, path, def);
        }
        if (at(OR_KW)) {
            Token o = next();
            return new Call(start, e, List.of(new Var(o.pos(), "or")));
        }
        return e;
    }

    private Expr simple() {
        int start = p;
        Token t = next();
        return switch (t.kind()) {
            case ID -> t.text().equals("__curPos") ? new CurPos(t.pos()) : new Var(t.pos(), t.text());
            case INT -> intLit(t);
            case FLOAT -> new FloatLit(t.pos(), Double.parseDouble(t.text()));
            case QUOTE -> string(t.pos());
            case IND_OPEN -> IndentedStrings.build(t.pos(), indParts());
            case PATH, HPATH -> path(t);
            case SPATH -> new Call(t.pos(), new Var(t.pos(), "__findFile"), List.of(new Var(t.pos(), "__nixPath"),
                    new StrLit(t.pos(), t.text().substring(1, t.text().length() - 1))));
            case URI -> new StrLit(t.pos(), t.text());
            case LPAREN -> {
                Expr e = expr();
                expect(RPAREN);
                yield e;
            }
            case LET -> {
                expect(LBRACE);
                AttrsBuilder b = binds(t.pos(), true, RBRACE);
                expect(RBRACE);
                yield new Select(t.pos(), b.build(), List.of(AttrName.of("body")), null);
            }
            case REC -> {
                expect(LBRACE);
                AttrsBuilder b = binds(t.pos(), true, RBRACE);
                expect(RBRACE);
                yield b.build();
            }
            case LBRACE -> {
                AttrsBuilder b = binds(t.pos(), false, RBRACE);
                expect(RBRACE);
                yield b.build();
            }
            case LBRACK -> {
                List<Expr> items = new ArrayList<>();
                while (!at(RBRACK)) {
                    if (!startsSimple(peek().kind())) throw unexpected();
                    items.add(select());
                }
                next();
                yield new ListLit(t.pos(), List.copyOf(items));
            }
            default -> {
                p = start;
                throw unexpected();
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

    // ---------------------------------------------------------------- strings and paths

    private Expr string(Pos pos) {
        List<Expr> parts = new ArrayList<>();
        while (!at(QUOTE)) {
            if (!at(STR) && !at(DOLLAR_CURLY)) throw unexpected();
            Token t = next();
            if (t.is(STR)) parts.add(new StrLit(t.pos(), t.text()));
            else parts.add(interpolation());
        }
        next();
        if (parts.isEmpty()) return new StrLit(pos, "");
        if (parts.size() == 1 && parts.get(0) instanceof StrLit s) return new StrLit(pos, s.value());
        return new Concat(pos, true, List.copyOf(parts));
    }

    private Expr interpolation() {
        Expr e = expr();
        expect(RBRACE);
        return e;
    }

    private List<Object> indParts() {
        List<Object> parts = new ArrayList<>();
        while (!at(IND_CLOSE)) {
            if (!at(IND_STR) && !at(DOLLAR_CURLY)) throw unexpected();
            Token t = next();
            if (t.is(IND_STR)) parts.add(t);
            else parts.add(interpolation());
        }
        next();
        return parts;
    }

    private Expr path(Token t) {
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
        parts.add(head);
        while (!at(PATH_END)) {
            if (!at(STR) && !at(DOLLAR_CURLY)) throw unexpected();
            Token s = next();
            if (s.is(STR)) parts.add(new StrLit(s.pos(), s.text()));
            else parts.add(interpolation());
        }
        next();
        return parts.size() == 1 ? head : new Concat(t.pos(), false, List.copyOf(parts));
    }

    // ---------------------------------------------------------------- attribute sets

    private List<AttrName> attrPath() {
        List<AttrName> path = new ArrayList<>();
        path.add(attrName());
        while (at(DOT)) {
            next();
            path.add(attrName());
        }
        return List.copyOf(path);
    }

    private AttrName attrName() {
        int start = p;
        Token t = next();
        return switch (t.kind()) {
            case ID -> AttrName.of(t.text());
            case OR_KW -> AttrName.of("or");
            case QUOTE -> {
                Expr s = string(t.pos());
                yield s instanceof StrLit lit ? AttrName.of(lit.value()) : new AttrName(null, s);
            }
            case DOLLAR_CURLY -> {
                Expr e = interpolation();
                yield e instanceof StrLit lit ? AttrName.of(lit.value()) : new AttrName(null, e);
            }
            default -> {
                p = start;
                throw unexpected();
            }
        };
    }

    private AttrsBuilder binds(Pos pos, boolean rec, TokenKind end) {
        AttrsBuilder b = new AttrsBuilder(pos, rec);
        while (!at(end)) {
            if (at(INHERIT)) {
                inherit(b);
                continue;
            }
            Token first = peek();
            List<AttrName> path = attrPath();
            expect(ASSIGN);
            Expr value = expr();
            expect(SEMI);
            b.add(path, value, first.pos());
        }
        return b;
    }

    private void inherit(AttrsBuilder b) {
        next();
        Expr from = null;
        if (at(LPAREN)) {
            next();
            from = expr();
            expect(RPAREN);
        }
        while (!at(SEMI)) {
            Token t = peek();
            AttrName n = attrName();
            if (!n.isStatic()) throw new ParseException(t.pos(), "dynamic attributes not allowed in inherit");
            if (from == null) b.inherit(n.name(), new Var(t.pos(), n.name()), true, t.pos());
            else b.inherit(n.name(), new Select(t.pos(), from, List.of(n), null), false, t.pos());
        }
        next();
    }
}
