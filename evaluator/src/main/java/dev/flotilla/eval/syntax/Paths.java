package dev.flotilla.eval.syntax;

import java.util.ArrayDeque;
import java.util.Deque;

/** Path string helpers with Nix's semantics (purely textual, no symlink resolution). */
public final class Paths {
    private Paths() {}

    /** Nix's canonPath: absolute, no ".", "..", duplicate or trailing slashes. */
    public static String canon(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) continue;
            if (seg.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(seg);
            }
        }
        return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
    }

    /** Nix's dirOf on a string: everything before the last slash ("/" for top-level, "." if none). */
    public static String dirOf(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) return ".";
        if (slash == 0) return "/";
        return path.substring(0, slash);
    }

    /** Nix's baseNameOf: the part after the last slash, ignoring one trailing slash. */
    public static String baseNameOf(String path) {
        if (path.isEmpty()) return "";
        int last = path.length();
        if (path.charAt(last - 1) == '/') last--;
        int slash = path.lastIndexOf('/', last - 1);
        return path.substring(slash + 1, last);
    }
}
