package dev.flotilla.eval.builtins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TOML 1.0 reader producing plain Java data: {@link Table} for tables, {@code List<Object>} for
 * arrays, {@code String}, {@code Long}, {@code Double}, {@code Boolean}. Dates and times are
 * recognised and rejected (Nix has no type for them). Errors are {@link TomlException}s naming
 * the line and column.
 */
final class TomlReader {
    /** A syntax or semantic error in the document. */
    static final class TomlException extends RuntimeException {
        TomlException(String message) {
            super(message, null, false, false);
        }
    }

    /** How a table came to exist; decides whether it may be reopened or extended. */
    enum Origin { IMPLICIT, HEADER, DOTTED, INLINE, ARRAY_ELEMENT }

    /** A table under construction, in insertion order. */
    static final class Table {
        final Map<String, Object> entries = new LinkedHashMap<>();
        Origin origin;

        Table(Origin origin) {
            this.origin = origin;
        }
    }

    /** An array created by {@code [[header]]}: it can be appended to, unlike a literal array. */
    static final class TableArray {
        final List<Table> tables = new ArrayList<>();
    }

    private final String s;
    private int i;
    private final Table root = new Table(Origin.HEADER);

    private TomlReader(String s) {
        this.s = s;
    }

    /** Parses a whole document. */
    static Table parse(String text) {
        TomlReader r = new TomlReader(text);
        r.document();
        return r.root;
    }

    private TomlException error(String what) {
        int line = 1, col = 1;
        for (int k = 0; k < i && k < s.length(); k++) {
            if (s.charAt(k) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new TomlException(what + " at line " + line + ", column " + col);
    }

    private boolean atEnd() {
        return i >= s.length();
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private boolean lookingAt(String t) {
        return s.startsWith(t, i);
    }

    private void spaces() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
    }

    private void comment() {
        if (peek() != '#') return;
        while (i < s.length() && s.charAt(i) != '\n') {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' && !(c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') || c == 0x7f) {
                throw error("control character in comment");
            }
            i++;
        }
    }

    /** The end of a line: optional spaces and comment, then a newline or the end of input. */
    private void endOfLine() {
        spaces();
        comment();
        if (atEnd()) return;
        if (lookingAt("\r\n")) {
            i += 2;
        } else if (peek() == '\n') {
            i++;
        } else {
            throw error("expected a newline");
        }
    }

    private void document() {
        Table current = root;
        while (true) {
            // blank lines and comments
            spaces();
            comment();
            if (atEnd()) return;
            if (peek() == '\n' || lookingAt("\r\n")) {
                endOfLine();
                continue;
            }
            if (lookingAt("[[")) {
                i += 2;
                current = arrayTableHeader(keyPath("]]"));
                i += 2;
            } else if (peek() == '[') {
                i++;
                current = tableHeader(keyPath("]"));
                i++;
            } else {
                keyValue(current, Origin.DOTTED);
            }
            endOfLine();
        }
    }

    private List<String> keyPath(String close) {
        List<String> path = new ArrayList<>();
        while (true) {
            spaces();
            path.add(simpleKey());
            spaces();
            if (peek() == '.') {
                i++;
                continue;
            }
            if (!lookingAt(close)) throw error("expected '" + close + "' or '.'");
            return path;
        }
    }

    private String simpleKey() {
        char c = peek();
        if (c == '"') return basicString();
        if (c == '\'') return literalString();
        int start = i;
        while (i < s.length() && isBareKeyChar(s.charAt(i))) i++;
        if (i == start) throw error("expected a key");
        return s.substring(start, i);
    }

    private static boolean isBareKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** {@code [a.b.c]}: creates or completes a table; a table may be defined only once. */
    private Table tableHeader(List<String> path) {
        Table t = walk(path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        Object existing = t.entries.get(last);
        if (existing == null) {
            Table fresh = new Table(Origin.HEADER);
            t.entries.put(last, fresh);
            return fresh;
        }
        if (existing instanceof Table e && e.origin == Origin.IMPLICIT) {
            e.origin = Origin.HEADER;
            return e;
        }
        throw error("table '" + String.join(".", path) + "' is already defined");
    }

    /** {@code [[a.b.c]]}: appends a new table to an array of tables. */
    private Table arrayTableHeader(List<String> path) {
        Table t = walk(path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        Object existing = t.entries.get(last);
        TableArray arr;
        if (existing == null) {
            arr = new TableArray();
            t.entries.put(last, arr);
        } else if (existing instanceof TableArray a) {
            arr = a;
        } else {
            throw error("key '" + String.join(".", path) + "' is already defined and is not an array of tables");
        }
        Table fresh = new Table(Origin.ARRAY_ELEMENT);
        arr.tables.add(fresh);
        return fresh;
    }

    /** Follows (creating implicitly) the tables of a header's prefix; arrays of tables lead to their last element. */
    private Table walk(List<String> path) {
        Table t = root;
        for (String k : path) {
            Object next = t.entries.get(k);
            if (next == null) {
                Table fresh = new Table(Origin.IMPLICIT);
                t.entries.put(k, fresh);
                t = fresh;
            } else if (next instanceof Table n && n.origin != Origin.INLINE) {
                t = n;
            } else if (next instanceof TableArray a) {
                t = a.tables.get(a.tables.size() - 1);
            } else {
                throw error("key '" + k + "' is already defined and is not a table");
            }
        }
        return t;
    }

    /** {@code a.b.c = value} inside {@code table}; intermediate tables get {@code origin}. */
    private void keyValue(Table table, Origin origin) {
        List<String> path = keyPath("=");
        i++;
        spaces();
        Object value = value();
        Table t = table;
        for (String k : path.subList(0, path.size() - 1)) {
            Object next = t.entries.get(k);
            if (next == null) {
                Table fresh = new Table(origin);
                t.entries.put(k, fresh);
                t = fresh;
            } else if (next instanceof Table n && (n.origin == Origin.DOTTED || n.origin == origin && origin == Origin.INLINE)) {
                t = n;
            } else {
                throw error("cannot add key '" + String.join(".", path) + "' to an already defined value");
            }
        }
        String last = path.get(path.size() - 1);
        if (t.entries.containsKey(last)) throw error("key '" + String.join(".", path) + "' is defined twice");
        t.entries.put(last, value);
    }

    private Object value() {
        char c = peek();
        if (lookingAt("\"\"\"")) return multiLineBasicString();
        if (lookingAt("'''")) return multiLineLiteralString();
        if (c == '"') return basicString();
        if (c == '\'') return literalString();
        if (c == '[') return array();
        if (c == '{') return inlineTable();
        if (lookingAt("true") && !continuesWord(4)) {
            i += 4;
            return Boolean.TRUE;
        }
        if (lookingAt("false") && !continuesWord(5)) {
            i += 5;
            return Boolean.FALSE;
        }
        try {
            TomlNumbers.Scanned n = TomlNumbers.read(s, i);
            i = n.end();
            return n.value();
        } catch (TomlNumbers.DateTimeException e) {
            throw new TomlException(e.getMessage()); // Nix's message names no position
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    private boolean continuesWord(int len) {
        return i + len < s.length() && isBareKeyChar(s.charAt(i + len));
    }

    private List<Object> array() {
        i++;
        List<Object> items = new ArrayList<>();
        while (true) {
            arraySpace();
            if (peek() == ']') {
                i++;
                return items;
            }
            items.add(value());
            arraySpace();
            if (peek() == ',') {
                i++;
            } else if (peek() == ']') {
                i++;
                return items;
            } else {
                throw error("expected ',' or ']' in an array");
            }
        }
    }

    /** Whitespace, newlines and comments, as allowed between array elements. */
    private void arraySpace() {
        while (true) {
            spaces();
            comment();
            if (peek() == '\n') {
                i++;
            } else if (lookingAt("\r\n")) {
                i += 2;
            } else {
                if (atEnd()) throw error("unterminated array");
                return;
            }
        }
    }

    private Table inlineTable() {
        i++;
        Table t = new Table(Origin.INLINE);
        spaces();
        if (peek() == '}') {
            i++;
            return t;
        }
        while (true) {
            spaces();
            keyValue(t, Origin.INLINE);
            spaces();
            if (peek() == ',') {
                i++;
            } else if (peek() == '}') {
                i++;
                return t;
            } else {
                throw error("expected ',' or '}' in an inline table");
            }
        }
    }

    private String basicString() {
        i++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (atEnd() || peek() == '\n') throw error("unterminated string");
            char c = s.charAt(i++);
            if (c == '"') return sb.toString();
            if (c == '\\') {
                escape(sb);
            } else {
                checkStringChar(c);
                sb.append(c);
            }
        }
    }

    private String multiLineBasicString() {
        i += 3;
        skipFirstNewline();
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (atEnd()) throw error("unterminated string");
            if (lookingAt("\"\"\"")) {
                // up to two quotes may directly precede the closing delimiter
                int extra = 0;
                while (extra < 2 && i + 3 + extra < s.length() + 0 && s.charAt(i + 3 + extra) == '"') extra++;
                sb.append("\"".repeat(extra));
                i += 3 + extra;
                return sb.toString();
            }
            char c = s.charAt(i++);
            if (c == '\\') {
                if (lineEndingBackslash()) continue;
                escape(sb);
            } else {
                if (c != '\n' && !(c == '\r' && peek() == '\n')) checkStringChar(c);
                sb.append(c);
            }
        }
    }

    /** After a backslash in a multi-line basic string: if only whitespace follows up to a newline, skip it and all following whitespace. */
    private boolean lineEndingBackslash() {
        int j = i;
        while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) j++;
        if (j < s.length() && (s.charAt(j) == '\n' || s.startsWith("\r\n", j))) {
            while (j < s.length() && " \t\r\n".indexOf(s.charAt(j)) >= 0) j++;
            i = j;
            return true;
        }
        return false;
    }

    private void skipFirstNewline() {
        if (peek() == '\n') {
            i++;
        } else if (lookingAt("\r\n")) {
            i += 2;
        }
    }

    private String literalString() {
        i++;
        int start = i;
        while (true) {
            if (atEnd() || peek() == '\n') throw error("unterminated string");
            char c = s.charAt(i++);
            if (c == '\'') return s.substring(start, i - 1);
            checkStringChar(c);
        }
    }

    private String multiLineLiteralString() {
        i += 3;
        skipFirstNewline();
        int start = i;
        while (true) {
            if (atEnd()) throw error("unterminated string");
            if (lookingAt("'''")) {
                int extra = 0;
                while (extra < 2 && i + 3 + extra < s.length() && s.charAt(i + 3 + extra) == '\'') extra++;
                String text = s.substring(start, i + extra);
                i += 3 + extra;
                return text;
            }
            char c = s.charAt(i++);
            if (c != '\n' && !(c == '\r' && peek() == '\n')) checkStringChar(c);
        }
    }

    private void checkStringChar(char c) {
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            i--;
            throw error("control character in a string");
        }
    }

    private void escape(StringBuilder sb) {
        if (atEnd()) throw error("unterminated string");
        char e = s.charAt(i++);
        switch (e) {
            case 'b' -> sb.append('\b');
            case 't' -> sb.append('\t');
            case 'n' -> sb.append('\n');
            case 'f' -> sb.append('\f');
            case 'r' -> sb.append('\r');
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case 'u' -> sb.appendCodePoint(hexEscape(4));
            case 'U' -> sb.appendCodePoint(hexEscape(8));
            default -> {
                i--;
                throw error("invalid escape sequence '\\" + e + "'");
            }
        }
    }

    private int hexEscape(int digits) {
        if (i + digits > s.length()) throw error("incomplete unicode escape");
        String hex = s.substring(i, i + digits);
        for (char h : hex.toCharArray()) {
            if (Character.digit(h, 16) < 0) throw error("invalid unicode escape");
        }
        long cp = Long.parseLong(hex, 16);
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) throw error("unicode escape is not a scalar value");
        i += digits;
        return (int) cp;
    }
}
