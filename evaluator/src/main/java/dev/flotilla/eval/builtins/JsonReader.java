package dev.flotilla.eval.builtins;

import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixBool;
import dev.flotilla.eval.NixFloat;
import dev.flotilla.eval.NixInt;
import dev.flotilla.eval.NixList;
import dev.flotilla.eval.NixNull;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Value;
import dev.flotilla.eval.builtins.JsonLexer.Failure;
import dev.flotilla.eval.builtins.JsonLexer.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * {@code builtins.fromJSON}'s reader. Nix 2.8 parses with the nlohmann JSON library, and its
 * error messages are that library's ("[json.exception.parse_error.101] parse error at line 1,
 * column 2: syntax error while parsing value - invalid literal; last read: 'fo'"), so this reader
 * follows the same steps: its lexer ({@link JsonLexer}), and a parser that names what it was parsing.
 * Input and output strings are byte strings (one char per byte).
 */
final class JsonReader {
    private final JsonLexer lexer;
    private Token last;

    private JsonReader(String in) {
        this.lexer = new JsonLexer(in);
    }

    /** Parses {@code text}; throws {@link Failure} with nlohmann's message. */
    static Value parse(String text) {
        return new JsonReader(text).document();
    }

    private Token nextToken() {
        last = lexer.scan();
        return last;
    }

    private Failure error(Token expected, String context) {
        return lexer.error(last, expected, context);
    }

    /** An array or object being read: its items, and the key of an object's next value. */
    private static final class Open {
        final boolean array;
        final List<Lazy> items = new ArrayList<>();
        final NixAttrs.Builder attrs = NixAttrs.builder();
        String key;

        Open(boolean array) {
            this.array = array;
        }
    }

    private Value document() {
        Deque<Open> open = new ArrayDeque<>();
        nextToken();
        Value done = null;
        while (true) {
            Value v;
            switch (last) {
                case BEGIN_OBJECT -> {
                    if (nextToken() == Token.END_OBJECT) {
                        v = NixAttrs.EMPTY;
                        break;
                    }
                    Open o = new Open(false);
                    o.key = key();
                    open.push(o);
                    nextToken();
                    continue;
                }
                case BEGIN_ARRAY -> {
                    if (nextToken() == Token.END_ARRAY) {
                        v = new NixList(List.of());
                        break;
                    }
                    open.push(new Open(true));
                    continue;
                }
                case FLOAT -> {
                    if (!Double.isFinite(lexer.floatValue())) {
                        throw new Failure("[json.exception.out_of_range.406] number overflow parsing '" + lexer.lastRead() + "'");
                    }
                    v = new NixFloat(lexer.floatValue());
                }
                case TRUE -> v = NixBool.TRUE;
                case FALSE -> v = NixBool.FALSE;
                case NULL -> v = NixNull.NULL;
                case UNSIGNED -> v = new NixInt(lexer.unsignedValue()); // Nix keeps the low 64 bits
                case INTEGER -> v = new NixInt(lexer.integerValue());
                case STRING -> v = new NixString(cString(lexer.stringValue()));
                case PARSE_ERROR -> throw error(Token.UNINITIALIZED, "value");
                default -> throw error(Token.LITERAL_OR_VALUE, "value");
            }
            // a value is complete: add it to what encloses it, closing what it completes
            while (true) {
                if (open.isEmpty()) {
                    done = v;
                    break;
                }
                Open o = open.peek();
                if (o.array) {
                    o.items.add(v);
                    if (nextToken() == Token.VALUE_SEPARATOR) {
                        nextToken();
                        break;
                    }
                    if (last != Token.END_ARRAY) throw error(Token.END_ARRAY, "array");
                    open.pop();
                    v = new NixList(o.items);
                } else {
                    o.attrs.put(o.key, v);
                    if (nextToken() == Token.VALUE_SEPARATOR) {
                        nextToken();
                        o.key = key();
                        nextToken();
                        break;
                    }
                    if (last != Token.END_OBJECT) throw error(Token.END_OBJECT, "object");
                    open.pop();
                    v = o.attrs.build();
                }
            }
            if (done != null) break;
        }
        if (nextToken() != Token.END_OF_INPUT) throw error(Token.END_OF_INPUT, "value");
        return done;
    }

    /** Nix keeps strings as C strings: a decoded {@code \\u0000} ends the value there. */
    private static String cString(CharSequence s) {
        String t = s.toString();
        int nul = t.indexOf('\0');
        return nul < 0 ? t : t.substring(0, nul);
    }

    /** At a key: the current token must be a string, followed by ':'. */
    private String key() {
        if (last != Token.STRING) throw error(Token.STRING, "object key");
        String key = lexer.stringValue();
        if (nextToken() != Token.NAME_SEPARATOR) throw error(Token.NAME_SEPARATOR, "object separator");
        return key;
    }

    /** fromJSON's error: the library's message, from the call. */
    static EvalException evalError(Failure f, Pos pos) {
        return new EvalException(pos, f.getMessage()).withoutShownPosition().addTrace(pos, "while decoding a JSON string");
    }
}
