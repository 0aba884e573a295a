package dev.flotilla.eval.modules;

import dev.flotilla.eval.Bytes;
import dev.flotilla.eval.EvalSession;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Value;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The module system and {@code lib}, written in Nix (resources beside this class) and evaluated
 * in a session like any other code. Their positions read {@code <flotilla>/lib/NAME.nix}.
 */
public final class ModuleLib {
    /** Pseudo-directory of the lib's files in positions and messages. */
    public static final String SOURCE_PREFIX = "<flotilla>/";

    static final List<String> PARTS = List.of("attrsets", "lists", "strings", "options", "modules", "types");
    private static final Map<String, String> SOURCES = loadSources();

    private ModuleLib() {}

    /** The {@code lib} attribute set, built in {@code session}. */
    public static Value lib(EvalSession session) {
        NixAttrs.Builder parts = NixAttrs.builder();
        for (String part : PARTS) {
            parts.put(part, eval(session, "lib/" + part + ".nix", part));
        }
        Value boot = eval(session, "lib/lib.nix", "lib");
        return session.interpreter().apply(boot, parts.build(), Pos.NONE);
    }

    /** The built-in host options module (a module function). */
    static Value hostOptions(EvalSession session) {
        return eval(session, "host-options.nix", "host-options");
    }

    /** The fleet driver: {@code { lib, hostOptions }: { fleet, fleetFile, root, host, hosts }: ...}. */
    static Value fleetDriver(EvalSession session, Value lib) {
        Value driver = eval(session, "fleet.nix", "fleet");
        NixAttrs args = NixAttrs.builder().put("lib", lib).put("hostOptions", hostOptions(session)).build();
        return session.interpreter().apply(driver, args, Pos.NONE);
    }

    /** True when an error position lies inside the lib (the message then stands on its own). */
    static boolean isLibPosition(Pos pos) {
        return pos.file().startsWith(SOURCE_PREFIX);
    }

    private static Value eval(EvalSession session, String shownName, String resource) {
        return session.evalSource(SOURCES.get(resource), SOURCE_PREFIX + shownName, "/");
    }

    private static Map<String, String> loadSources() {
        Map<String, String> out = new TreeMap<>();
        for (String name : List.of("attrsets", "lists", "strings", "options", "modules", "types", "lib", "host-options", "fleet")) {
            try (InputStream in = ModuleLib.class.getResourceAsStream(name + ".nix")) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + name + ".nix beside " + ModuleLib.class.getName());
                }
                out.put(name, Bytes.fromJava(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.copyOf(out);
    }
}
