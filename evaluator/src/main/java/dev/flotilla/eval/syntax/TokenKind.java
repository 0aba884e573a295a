package dev.flotilla.eval.syntax;

/** Token kinds of the Nix 2.8 grammar (mirrors the terminals of Nix's parser.y). */
public enum TokenKind {
    ID, INT, FLOAT, PATH, HPATH, SPATH, URI,
    /** literal text inside "..." or a path */
    STR,
    /** literal text inside ''...''; {@code flag} says whether it takes part in indentation stripping */
    IND_STR,
    DOLLAR_CURLY, QUOTE, IND_OPEN, IND_CLOSE, PATH_END,
    IF, THEN, ELSE, ASSERT, WITH, LET, IN, REC, INHERIT, OR_KW,
    ELLIPSIS, EQ, NEQ, LEQ, GEQ, AND, OR, IMPL, UPDATE, CONCAT,
    LBRACE, RBRACE, LBRACK, RBRACK, LPAREN, RPAREN,
    DOT, COMMA, SEMI, COLON, AT, QUESTION, ASSIGN, NOT, PLUS, MINUS, STAR, SLASH, LT, GT,
    /** any other single character: always a syntax error in the parser */
    OTHER,
    EOF
}
