package dev.flotilla.eval.syntax;

import dev.flotilla.eval.ParseException;
import java.util.List;

/**
 * The parser's position in the token list, shared by {@link Parser} and its helpers
 * ({@link StringParser}, {@link BindingParser}) so they all read one stream.
 */
final class TokenCursor {
    private final List<Token> toks;
    private int p;

    TokenCursor(List<Token> toks) {
        this.toks = toks;
    }

    Token peek() {
        return toks.get(p);
    }

    /** Past the end this is the EOF token, so lookahead never fails. */
    Token peek(int ahead) {
        return toks.get(Math.min(p + ahead, toks.size() - 1));
    }

    boolean at(TokenKind k) {
        return toks.get(p).kind() == k;
    }

    Token next() {
        Token t = toks.get(p);
        if (t.kind() != TokenKind.EOF) p++;
        return t;
    }

    Token expect(TokenKind k) {
        if (!at(k)) throw unexpected();
        return next();
    }

    ParseException unexpected() {
        Token t = peek();
        return new ParseException(t.pos(), "syntax error, unexpected " + t.describe());
    }

    int mark() {
        return p;
    }

    /** Steps back to {@code mark}, so an error names the token that could not start what was wanted. */
    void reset(int mark) {
        p = mark;
    }
}
