package dev.flotilla.store.build;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@code .drv} file's contents (spec §4, the ATerm {@code Derive(...)}): what to run to produce
 * which output paths from which inputs. Store paths are kept as absolute logical strings.
 *
 * @param outputs   output name → path (and, for fixed outputs, the expected hash)
 * @param inputDrvs derivation path → the outputs of it that this one uses
 * @param inputSrcs sources (and texts) used directly
 */
public record Derivation(SortedMap<String, Output> outputs, SortedMap<String, SortedSet<String>> inputDrvs,
                         SortedSet<String> inputSrcs, String platform, String builder, List<String> args,
                         SortedMap<String, String> env) {

    /** One output; {@code hashAlgo} ({@code sha256}, or {@code r:sha256} for a NAR) and {@code hash} (hex) only for fixed outputs. */
    public record Output(String path, String hashAlgo, String hash) {
        public boolean fixed() {
            return !hash.isEmpty();
        }
    }

    public Derivation {
        outputs = Collections.unmodifiableSortedMap(new TreeMap<>(outputs));
        SortedMap<String, SortedSet<String>> drvs = new TreeMap<>();
        inputDrvs.forEach((k, v) -> drvs.put(k, Collections.unmodifiableSortedSet(new TreeSet<>(v))));
        inputDrvs = Collections.unmodifiableSortedMap(drvs);
        inputSrcs = Collections.unmodifiableSortedSet(new TreeSet<>(inputSrcs));
        args = List.copyOf(args);
        env = Collections.unmodifiableSortedMap(new TreeMap<>(env));
        if (outputs.isEmpty()) {
            throw new ConfigException("a derivation needs at least one output");
        }
    }

    /** Parses ATerm text; {@code where} (the .drv path) starts every error message. */
    public static Derivation parse(String aterm, String where) {
        return new Reader(aterm, where).derivation();
    }

    /** A small recursive-descent reader of the one shape Nix writes. */
    private static final class Reader {
        private final String s;
        private final String where;
        private int i;

        Reader(String s, String where) {
            this.s = s;
            this.where = where;
        }

        Derivation derivation() {
            expect("Derive(");
            SortedMap<String, Output> outputs = new TreeMap<>();
            list(() -> {
                expect("(");
                String name = string();
                expect(",");
                String path = string();
                expect(",");
                String algo = string();
                expect(",");
                String hash = string();
                expect(")");
                outputs.put(name, new Output(path, algo, hash));
            });
            expect(",");
            SortedMap<String, SortedSet<String>> inputDrvs = new TreeMap<>();
            list(() -> {
                expect("(");
                String drv = string();
                expect(",");
                SortedSet<String> outs = new TreeSet<>();
                list(() -> outs.add(string()));
                expect(")");
                inputDrvs.put(drv, outs);
            });
            expect(",");
            SortedSet<String> srcs = new TreeSet<>();
            list(() -> srcs.add(string()));
            expect(",");
            String platform = string();
            expect(",");
            String builder = string();
            expect(",");
            List<String> args = new ArrayList<>();
            list(() -> args.add(string()));
            expect(",");
            SortedMap<String, String> env = new TreeMap<>();
            list(() -> {
                expect("(");
                String k = string();
                expect(",");
                String v = string();
                expect(")");
                env.put(k, v);
            });
            expect(")");
            if (i != s.length()) {
                throw error("unexpected text after the derivation");
            }
            return new Derivation(outputs, inputDrvs, srcs, platform, builder, args, env);
        }

        private void list(Runnable element) {
            expect("[");
            if (peek() == ']') {
                i++;
                return;
            }
            while (true) {
                element.run();
                char c = next();
                if (c == ']') {
                    return;
                }
                if (c != ',') {
                    i--;
                    throw error("expected ',' or ']'");
                }
            }
        }

        private String string() {
            expect("\"");
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = next();
                    b.append(switch (e) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        default -> e;
                    });
                } else {
                    b.append(c);
                }
            }
        }

        private void expect(String token) {
            if (!s.startsWith(token, i)) {
                throw error("expected '" + token + "'");
            }
            i += token.length();
        }

        private char peek() {
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }

        private ConfigException error(String what) {
            return new ConfigException(where + ": not a derivation: " + what + " at offset " + i);
        }
    }
}
