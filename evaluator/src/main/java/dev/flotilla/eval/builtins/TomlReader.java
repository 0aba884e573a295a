package dev.flotilla.eval.builtins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TOML 1.0 reader producing plain Java data: {@link Table} for tables, {@code List<Object>} for
 * arrays, {@code String}, {@code Long}, {@code Double}, {@code Boolean}. Dates and times are
 * recognised and rejected (Nix has no type for them). Errors are {@link TomlException}s naming
 * the line and column. This class reads the structure (tables, keys, values); string literals are
 * {@link TomlStrings}, numbers {@link TomlNumbers}, and the shared position {@link TomlCursor}.
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

    private final TomlCursor in;
    private final TomlStrings strings;
    private final Table root = new Table(Origin.HEADER);

    private TomlReader(String text) {
        this.in = new TomlCursor(text);
        this.strings = new TomlStrings(in);
    }

    /** Parses a whole document. */
    static Table parse(String text) {
        TomlReader r = new TomlReader(text);
        r.document();
        return r.root;
    }

    /** The end of a line: optional spaces and comment, then a newline or the end of input. */
    private void endOfLine() {
        in.spaces();
        in.comment();
        if (in.atEnd()) return;
        if (in.lookingAt("\r\n")) {
            in.pos += 2;
        } else if (in.peek() == '\n') {
            in.pos++;
        } else {
            throw in.error("expected a newline");
        }
    }

    private void document() {
        Table current = root;
        while (true) {
            // blank lines and comments
            in.spaces();
            in.comment();
            if (in.atEnd()) return;
            if (in.peek() == '\n' || in.lookingAt("\r\n")) {
                endOfLine();
                continue;
            }
            if (in.lookingAt("[[")) {
                in.pos += 2;
                current = arrayTableHeader(keyPath("]]"));
                in.pos += 2;
            } else if (in.peek() == '[') {
                in.pos++;
                current = tableHeader(keyPath("]"));
                in.pos++;
            } else {
                keyValue(current, Origin.DOTTED);
            }
            endOfLine();
        }
    }

    private List<String> keyPath(String close) {
        List<String> path = new ArrayList<>();
        while (true) {
            in.spaces();
            path.add(simpleKey());
            in.spaces();
            if (in.peek() == '.') {
                in.pos++;
                continue;
            }
            if (!in.lookingAt(close)) throw in.error("expected '" + close + "' or '.'");
            return path;
        }
    }

    private String simpleKey() {
        char c = in.peek();
        if (c == '"') return strings.basicString();
        if (c == '\'') return strings.literalString();
        int start = in.pos;
        while (in.pos < in.text.length() && isBareKeyChar(in.text.charAt(in.pos))) in.pos++;
        if (in.pos == start) throw in.error("expected a key");
        return in.text.substring(start, in.pos);
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
        throw in.error("table '" + String.join(".", path) + "' is already defined");
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
            throw in.error("key '" + String.join(".", path) + "' is already defined and is not an array of tables");
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
                throw in.error("key '" + k + "' is already defined and is not a table");
            }
        }
        return t;
    }

    /** {@code a.b.c = value} inside {@code table}; intermediate tables get {@code origin}. */
    private void keyValue(Table table, Origin origin) {
        List<String> path = keyPath("=");
        in.pos++;
        in.spaces();
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
                throw in.error("cannot add key '" + String.join(".", path) + "' to an already defined value");
            }
        }
        String last = path.get(path.size() - 1);
        if (t.entries.containsKey(last)) throw in.error("key '" + String.join(".", path) + "' is defined twice");
        t.entries.put(last, value);
    }

    private Object value() {
        char c = in.peek();
        if (in.lookingAt("\"\"\"")) return strings.multiLineBasicString();
        if (in.lookingAt("'''")) return strings.multiLineLiteralString();
        if (c == '"') return strings.basicString();
        if (c == '\'') return strings.literalString();
        if (c == '[') return array();
        if (c == '{') return inlineTable();
        if (in.lookingAt("true") && !continuesWord(4)) {
            in.pos += 4;
            return Boolean.TRUE;
        }
        if (in.lookingAt("false") && !continuesWord(5)) {
            in.pos += 5;
            return Boolean.FALSE;
        }
        try {
            TomlNumbers.Scanned n = TomlNumbers.read(in.text, in.pos);
            in.pos = n.end();
            return n.value();
        } catch (TomlNumbers.DateTimeException e) {
            throw new TomlException(e.getMessage()); // Nix's message names no position
        } catch (IllegalArgumentException e) {
            throw in.error(e.getMessage());
        }
    }

    private boolean continuesWord(int len) {
        return in.pos + len < in.text.length() && isBareKeyChar(in.text.charAt(in.pos + len));
    }

    private List<Object> array() {
        in.pos++;
        List<Object> items = new ArrayList<>();
        while (true) {
            arraySpace();
            if (in.peek() == ']') {
                in.pos++;
                return items;
            }
            items.add(value());
            arraySpace();
            if (in.peek() == ',') {
                in.pos++;
            } else if (in.peek() == ']') {
                in.pos++;
                return items;
            } else {
                throw in.error("expected ',' or ']' in an array");
            }
        }
    }

    /** Whitespace, newlines and comments, as allowed between array elements. */
    private void arraySpace() {
        while (true) {
            in.spaces();
            in.comment();
            if (in.peek() == '\n') {
                in.pos++;
            } else if (in.lookingAt("\r\n")) {
                in.pos += 2;
            } else {
                if (in.atEnd()) throw in.error("unterminated array");
                return;
            }
        }
    }

    private Table inlineTable() {
        in.pos++;
        Table t = new Table(Origin.INLINE);
        in.spaces();
        if (in.peek() == '}') {
            in.pos++;
            return t;
        }
        while (true) {
            in.spaces();
            keyValue(t, Origin.INLINE);
            in.spaces();
            if (in.peek() == ',') {
                in.pos++;
            } else if (in.peek() == '}') {
                in.pos++;
                return t;
            } else {
                throw in.error("expected ',' or '}' in an inline table");
            }
        }
    }

}
