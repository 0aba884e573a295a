package dev.flotilla.eval.builtins;

import java.util.regex.Pattern;

/** TOML integers, floats and (rejected) dates and times. */
final class TomlNumbers {
    /** A value read from the text, and where it ended. */
    record Scanned(Object value, int end) {}

    /** A date, time or date-time: valid TOML, but Nix has no type for it. */
    static final class DateTimeException extends IllegalArgumentException {
        DateTimeException() {
            super("Dates and times are not supported");
        }
    }

    private static final String DIGITS = "[0-9](?:_?[0-9])*";
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:0|[1-9](?:_?[0-9])*)");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\\." + DIGITS + "(?:[eE][+-]?" + DIGITS + ")?|[eE][+-]?" + DIGITS + ")");
    private static final Pattern HEX = Pattern.compile("0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*");
    private static final Pattern OCT = Pattern.compile("0o[0-7](?:_?[0-7])*");
    private static final Pattern BIN = Pattern.compile("0b[01](?:_?[01])*");
    private static final Pattern DATE_OR_TIME = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}.*|[0-9]{2}:[0-9]{2}.*", Pattern.DOTALL);

    private TomlNumbers() {}

    /** Reads the number (or date) starting at {@code start}; throws IllegalArgumentException with a message. */
    static Scanned read(String s, int start) {
        int end = start;
        while (end < s.length() && isTokenChar(s.charAt(end))) end++;
        String t = s.substring(start, end);
        if (t.isEmpty()) throw new IllegalArgumentException("expected a value");
        if (DATE_OR_TIME.matcher(s.substring(start, Math.min(s.length(), start + 10))).matches()) {
            throw new DateTimeException();
        }
        return new Scanned(number(t), end);
    }

    private static boolean isTokenChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '+' || c == '-' || c == '.';
    }

    private static Object number(String t) {
        switch (t) {
            case "inf", "+inf" -> { return Double.POSITIVE_INFINITY; }
            case "-inf" -> { return Double.NEGATIVE_INFINITY; }
            case "nan", "+nan", "-nan" -> { return Double.NaN; }
            default -> { }
        }
        String clean = t.replace("_", "");
        try {
            if (HEX.matcher(t).matches()) return Long.parseLong(clean.substring(2), 16);
            if (OCT.matcher(t).matches()) return Long.parseLong(clean.substring(2), 8);
            if (BIN.matcher(t).matches()) return Long.parseLong(clean.substring(2), 2);
            if (DECIMAL.matcher(t).matches()) return Long.parseLong(clean);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("integer '" + t + "' is out of range");
        }
        if (FLOAT.matcher(t).matches()) return Double.parseDouble(clean);
        throw new IllegalArgumentException("invalid value '" + t + "'");
    }
}
