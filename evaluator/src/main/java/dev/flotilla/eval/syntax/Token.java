package dev.flotilla.eval.syntax;

import dev.flotilla.eval.Pos;

/** One lexeme; {@code text} is already unescaped for string fragments. */
public record Token(TokenKind kind, String text, Pos pos, boolean flag) {
    public Token(TokenKind kind, String text, Pos pos) {
        this(kind, text, pos, false);
    }

    public boolean is(TokenKind k) {
        return kind == k;
    }

    /** How the token is named in "syntax error, unexpected ..." messages. */
    public String describe() {
        return switch (kind) {
            case EOF -> "end of file";
            case ID -> "identifier '" + text + "'";
            case OTHER -> "invalid token '" + text + "'";
            default -> "'" + text + "'";
        };
    }
}
