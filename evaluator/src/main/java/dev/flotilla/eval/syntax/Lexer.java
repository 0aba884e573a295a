package dev.flotilla.eval.syntax;

import dev.flotilla.eval.ParseException;
import dev.flotilla.eval.Pos;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Nix source (one char per byte, ISO-8859-1 decoded) into tokens. Like Nix's flex
 * lexer it keeps a stack of start states (code, "string", ''string'', path) and, in code,
 * picks the longest match among the token rules, so {@code a/b} is a path and {@code x:y} a URI.
 * The token stream does not depend on the parser, so the whole file is lexed up front.
 */
public final class Lexer {
    private enum Mode { CODE, STRING, IND_STRING, IN_PATH, IN_PATH_SLASH }

    private static final String PC = "[a-zA-Z0-9._\\-+]";
    private static final Pattern ID = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_'\\-]*");
    private static final Pattern INT = Pattern.compile("[0-9]+");
    private static final Pattern FLOAT = Pattern.compile("(([1-9][0-9]*\\.[0-9]*)|(0?\\.[0-9]+))([Ee][+-]?[0-9]+)?");
    private static final Pattern PATH = Pattern.compile(PC + "*(/" + PC + "+)+/?");
    private static final Pattern PATH_SEG_DOLLAR = Pattern.compile(PC + "*/\\$\\{");
    private static final Pattern HPATH = Pattern.compile("~(/" + PC + "+)+/?");
    private static final Pattern HPATH_START_DOLLAR = Pattern.compile("~/\\$\\{");
    private static final Pattern SPATH = Pattern.compile("<" + PC + "+(/" + PC + "+)*>");
    private static final Pattern URI = Pattern.compile("[a-zA-Z][a-zA-Z0-9+\\-.]*:[a-zA-Z0-9%/?:@&=+$,\\-_.!~*']+");
    private static final Pattern PATH_PART = Pattern.compile(PC + "*(/" + PC + "+)+/?|" + PC + "*/|" + PC + "+");

    private static final Map<String, TokenKind> KEYWORDS = Map.of(
            "if", TokenKind.IF, "then", TokenKind.THEN, "else", TokenKind.ELSE, "assert", TokenKind.ASSERT,
            "with", TokenKind.WITH, "let", TokenKind.LET, "in", TokenKind.IN, "rec", TokenKind.REC,
            "inherit", TokenKind.INHERIT, "or", TokenKind.OR_KW);
    private static final String[] OPS = {"...", "==", "!=", "<=", ">=", "&&", "||", "->", "//", "++"};
    private static final TokenKind[] OP_KINDS = {TokenKind.ELLIPSIS, TokenKind.EQ, TokenKind.NEQ, TokenKind.LEQ,
        TokenKind.GEQ, TokenKind.AND, TokenKind.OR, TokenKind.IMPL, TokenKind.UPDATE, TokenKind.CONCAT};

    private final String src;
    private final String file;
    private final Pos.Origin origin;
    private final int[] lineStarts;
    private final Deque<Mode> modes = new ArrayDeque<>();
    private final List<Token> out = new ArrayList<>();
    private final Matcher matcher;
    private int i;

    private Lexer(String src, String file) {
        this.src = src;
        // text from -E or stdin: its positions carry the text itself, as Nix's do
        this.origin = Pos.originOf(file);
        this.file = origin == Pos.Origin.FILE ? file : src;
        this.lineStarts = lineStarts(src);
        this.matcher = ID.matcher(src);
    }

    public static List<Token> lex(String src, String file) {
        Lexer lx = new Lexer(src, file);
        lx.run();
        return lx.out;
    }

    private static int[] lineStarts(String s) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) == '\n') starts.add(k + 1);
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    Pos pos(int offset) {
        int lo = 0, hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
        }
        return new Pos(file, lo + 1, offset - lineStarts[lo] + 1, origin);
    }

    private void emit(TokenKind k, String text, int start) {
        out.add(new Token(k, text, pos(start)));
    }

    private void run() {
        modes.push(Mode.CODE);
        while (true) {
            Mode m = modes.peek();
            boolean more = switch (m) {
                case CODE -> code();
                case STRING -> string();
                case IND_STRING -> indString();
                case IN_PATH, IN_PATH_SLASH -> inPath(m);
            };
            if (!more) break;
        }
        emit(TokenKind.EOF, "", src.length());
    }

    private int match(Pattern p) {
        matcher.usePattern(p);
        matcher.region(i, src.length());
        return matcher.lookingAt() ? matcher.end() - i : -1;
    }

    private boolean skipSpaceAndComments() {
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '#') {
                while (i < src.length() && src.charAt(i) != '\n' && src.charAt(i) != '\r') i++;
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                if (end < 0) throw new ParseException(pos(src.length()), "syntax error, unterminated comment");
                i = end + 2;
            } else {
                return true;
            }
        }
        return false;
    }

    private boolean code() {
        if (!skipSpaceAndComments()) return false;
        int start = i;
        char c = src.charAt(i);
        if (src.startsWith("${", i)) {
            i += 2;
            modes.push(Mode.CODE);
            emit(TokenKind.DOLLAR_CURLY, "${", start);
            return true;
        }
        if (c == '"') {
            i++;
            modes.push(Mode.STRING);
            emit(TokenKind.QUOTE, "\"", start);
            return true;
        }
        if (src.startsWith("''", i)) {
            i += 2;
            int j = i;
            while (j < src.length() && src.charAt(j) == ' ') j++;
            if (j < src.length() && src.charAt(j) == '\n') i = j + 1;
            modes.push(Mode.IND_STRING);
            emit(TokenKind.IND_OPEN, "''", start);
            return true;
        }
        if (c == '{' || c == '}') {
            i++;
            if (c == '{') modes.push(Mode.CODE);
            else if (modes.size() > 1) modes.pop();
            emit(c == '{' ? TokenKind.LBRACE : TokenKind.RBRACE, String.valueOf(c), start);
            return true;
        }
        longestMatch(start);
        return true;
    }

    /** Flex semantics: the longest match wins; on a tie the rule listed first wins. */
    private void longestMatch(int start) {
        int best = 0;
        TokenKind kind = TokenKind.OTHER;
        for (int k = 0; k < OPS.length; k++) {
            if (src.startsWith(OPS[k], i) && OPS[k].length() > best) {
                best = OPS[k].length();
                kind = OP_KINDS[k];
            }
        }
        Pattern[] pats = {ID, INT, FLOAT, PATH_SEG_DOLLAR, HPATH_START_DOLLAR, PATH, HPATH, SPATH, URI};
        TokenKind[] kinds = {TokenKind.ID, TokenKind.INT, TokenKind.FLOAT, TokenKind.PATH, TokenKind.HPATH,
            TokenKind.PATH, TokenKind.HPATH, TokenKind.SPATH, TokenKind.URI};
        int which = -1;
        for (int k = 0; k < pats.length; k++) {
            int len = match(pats[k]);
            if (len > best) {
                best = len;
                kind = kinds[k];
                which = k;
            }
        }
        if (best == 0) {
            i++;
            emit(single(src.charAt(start)), src.substring(start, i), start);
            return;
        }
        String text = src.substring(start, start + best);
        if (which == 3 || which == 4) {
            // "foo/${": the path token is the part before "${", which is then lexed in the path state
            text = text.substring(0, text.length() - 2);
            i = start + text.length();
            modes.push(Mode.IN_PATH_SLASH);
            emit(kind, text, start);
            return;
        }
        i = start + best;
        if (kind == TokenKind.ID && KEYWORDS.containsKey(text)) kind = KEYWORDS.get(text);
        if (kind == TokenKind.PATH || kind == TokenKind.HPATH) {
            modes.push(text.endsWith("/") ? Mode.IN_PATH_SLASH : Mode.IN_PATH);
        }
        emit(kind, text, start);
    }

    private static TokenKind single(char c) {
        return switch (c) {
            case '[' -> TokenKind.LBRACK;
            case ']' -> TokenKind.RBRACK;
            case '(' -> TokenKind.LPAREN;
            case ')' -> TokenKind.RPAREN;
            case '.' -> TokenKind.DOT;
            case ',' -> TokenKind.COMMA;
            case ';' -> TokenKind.SEMI;
            case ':' -> TokenKind.COLON;
            case '@' -> TokenKind.AT;
            case '?' -> TokenKind.QUESTION;
            case '=' -> TokenKind.ASSIGN;
            case '!' -> TokenKind.NOT;
            case '+' -> TokenKind.PLUS;
            case '-' -> TokenKind.MINUS;
            case '*' -> TokenKind.STAR;
            case '/' -> TokenKind.SLASH;
            case '<' -> TokenKind.LT;
            case '>' -> TokenKind.GT;
            default -> TokenKind.OTHER;
        };
    }

    private boolean inPath(Mode m) {
        int start = i;
        if (src.startsWith("${", i)) {
            i += 2;
            modes.pop();
            modes.push(Mode.IN_PATH);
            modes.push(Mode.CODE);
            emit(TokenKind.DOLLAR_CURLY, "${", start);
            return true;
        }
        int len = i < src.length() ? match(PATH_PART) : -1;
        if (len > 0) {
            i += len;
            String text = src.substring(start, i);
            modes.pop();
            modes.push(text.endsWith("/") ? Mode.IN_PATH_SLASH : Mode.IN_PATH);
            emit(TokenKind.STR, text, start);
            return true;
        }
        if (m == Mode.IN_PATH_SLASH) throw new ParseException(pos(start), "path has a trailing slash");
        modes.pop();
        emit(TokenKind.PATH_END, "", start);
        return true;
    }

    private boolean string() {
        int start = i;
        StringBuilder sb = new StringBuilder();
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '"') break;
            if (c == '$' && i + 1 < src.length() && src.charAt(i + 1) == '{') break;
            if (c == '\\' && i + 1 < src.length()) {
                char n = src.charAt(i + 1);
                i += 2;
                switch (n) {
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case '\r' -> {
                        sb.append('\n');
                        if (i < src.length() && src.charAt(i) == '\n') i++;
                    }
                    default -> sb.append(n);
                }
                continue;
            }
            if (c == '$' && i + 1 < src.length() && src.charAt(i + 1) != '"' && src.charAt(i + 1) != '\\') {
                sb.append(c).append(src.charAt(i + 1)); // "$$" keeps a following "{" literal
                i += 2;
                continue;
            }
            if (c == '\r') {
                sb.append('\n');
                i++;
                if (i < src.length() && src.charAt(i) == '\n') i++;
                continue;
            }
            sb.append(c);
            i++;
        }
        if (i > start) emit(TokenKind.STR, sb.toString(), start);
        if (i >= src.length()) throw new ParseException(pos(src.length()), "syntax error, unexpected end of file, expecting '\"'");
        int s2 = i;
        if (src.charAt(i) == '"') {
            i++;
            modes.pop();
            emit(TokenKind.QUOTE, "\"", s2);
        } else {
            i += 2;
            modes.push(Mode.CODE);
            emit(TokenKind.DOLLAR_CURLY, "${", s2);
        }
        return true;
    }

    private boolean indString() {
        int start = i;
        StringBuilder sb = new StringBuilder();
        while (i < src.length()) {
            if (src.startsWith("''", i)) {
                if (src.startsWith("'''", i)) {
                    flushInd(sb, start);
                    emitEscape("''", i);
                    i += 3;
                } else if (src.startsWith("''$", i)) {
                    flushInd(sb, start);
                    emitEscape("$", i);
                    i += 3;
                } else if (src.startsWith("''\\", i) && i + 3 < src.length()) {
                    flushInd(sb, start);
                    char n = src.charAt(i + 3);
                    String t = switch (n) {
                        case 'n' -> "\n";
                        case 'r' -> "\r";
                        case 't' -> "\t";
                        default -> String.valueOf(n);
                    };
                    emitEscape(t, i);
                    i += 4;
                } else {
                    flushInd(sb, start);
                    emit(TokenKind.IND_CLOSE, "''", i);
                    i += 2;
                    modes.pop();
                    return true;
                }
                start = i;
                continue;
            }
            if (src.startsWith("${", i)) {
                flushInd(sb, start);
                emit(TokenKind.DOLLAR_CURLY, "${", i);
                i += 2;
                modes.push(Mode.CODE);
                return true;
            }
            sb.append(src.charAt(i));
            i++;
        }
        throw new ParseException(pos(src.length()), "syntax error, unexpected end of file, expecting IND_STRING_CLOSE");
    }

    private void flushInd(StringBuilder sb, int start) {
        if (!sb.isEmpty()) {
            out.add(new Token(TokenKind.IND_STR, sb.toString(), pos(start), true));
            sb.setLength(0);
        }
    }

    private void emitEscape(String text, int at) {
        out.add(new Token(TokenKind.IND_STR, text, pos(at), false));
    }
}
