package dev.flotilla.eval.builtins;

/**
 * POSIX bracket expressions in the "C" locale over bytes: {@code [abc]}, {@code [^a-z]}, a leading
 * {@code ]} (after an optional {@code ^}) is literal, {@code -} is literal first or last,
 * {@code [:class:]}, {@code [.c.]}, {@code [=c=]}; a backslash is an ordinary character.
 */
final class PosixBrackets {
    /** The member bytes, and the index just after the closing {@code ]}. */
    record Parsed(boolean[] members, int end) {}

    private PosixBrackets() {}

    /** Parses the bracket expression whose {@code [} is just before {@code from}. */
    static Parsed parse(String re, int from) {
        boolean[] set = new boolean[256];
        int i = from;
        boolean negate = i < re.length() && re.charAt(i) == '^';
        if (negate) i++;
        boolean first = true;
        while (true) {
            if (i >= re.length()) throw new PosixRegex.SyntaxError("unterminated bracket expression");
            char c = re.charAt(i);
            if (c == ']' && !first) {
                i++;
                break;
            }
            first = false;
            int lo;
            if (c == '[' && i + 1 < re.length() && re.charAt(i + 1) == ':') {
                int close = re.indexOf(":]", i + 2);
                if (close < 0) throw new PosixRegex.SyntaxError("unterminated character class");
                addClass(set, re.substring(i + 2, close));
                i = close + 2;
                if (i < re.length() && re.charAt(i) == '-' && i + 1 < re.length() && re.charAt(i + 1) != ']') {
                    throw new PosixRegex.SyntaxError("invalid range");
                }
                continue;
            }
            int[] elem = element(re, i);
            lo = elem[0];
            i = elem[1];
            if (i + 1 < re.length() && re.charAt(i) == '-' && re.charAt(i + 1) != ']') {
                int[] hiElem = element(re, i + 1);
                int hi = hiElem[0];
                if (hi < lo) throw new PosixRegex.SyntaxError("invalid range");
                for (int k = lo; k <= hi; k++) set[k] = true;
                i = hiElem[1];
                if (i + 1 < re.length() && re.charAt(i) == '-' && re.charAt(i + 1) != ']') {
                    throw new PosixRegex.SyntaxError("invalid range");
                }
            } else {
                set[lo] = true;
            }
        }
        if (negate) {
            for (int k = 0; k < 256; k++) set[k] = !set[k]; // newline included: no REG_NEWLINE
        }
        return new Parsed(set, i);
    }

    /** One byte: plain, or a collating symbol {@code [.name.]} / equivalence class {@code [=name=]}; returns {byte, next index}. */
    private static int[] element(String re, int i) {
        char c = re.charAt(i);
        if (c == '[' && i + 1 < re.length() && (re.charAt(i + 1) == '.' || re.charAt(i + 1) == '=')) {
            char kind = re.charAt(i + 1);
            int close = re.indexOf(kind + "]", i + 2);
            if (close < 0) throw new PosixRegex.SyntaxError("unterminated collating element");
            return new int[] {collatingElement(re.substring(i + 2, close)), close + 2};
        }
        return new int[] {c & 0xff, i + 1};
    }

    /** POSIX names of the ASCII characters, as the C locale knows them: letters are named by themselves. */
    private static final String[] NAMES = (
            "NUL SOH STX ETX EOT ENQ ACK alert backspace tab newline vertical-tab form-feed carriage-return SO SI "
            + "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC IS4 IS3 IS2 IS1 space exclamation-mark quotation-mark "
            + "number-sign dollar-sign percent-sign ampersand apostrophe left-parenthesis right-parenthesis asterisk "
            + "plus-sign comma hyphen period slash zero one two three four five six seven eight nine colon semicolon "
            + "less-than-sign equals-sign greater-than-sign question-mark commercial-at A B C D E F G H I J K L M N O "
            + "P Q R S T U V W X Y Z left-square-bracket backslash right-square-bracket circumflex underscore "
            + "grave-accent a b c d e f g h i j k l m n o p q r s t u v w x y z left-curly-bracket vertical-line "
            + "right-curly-bracket tilde DEL").split(" ");

    private static int collatingElement(String name) {
        for (int k = 0; k < NAMES.length; k++) {
            if (NAMES[k].equals(name)) return k;
        }
        throw new PosixRegex.SyntaxError("invalid collating element '" + name + "'");
    }

    private static void addClass(boolean[] set, String name) {
        for (int b = 0; b < 128; b++) {
            if (inClass(name, (char) b)) set[b] = true;
        }
    }

    /** The C locale's classes (bytes >= 128 belong to none). */
    static boolean inClass(String name, char c) {
        return switch (name) {
            case "alpha" -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            case "digit" -> c >= '0' && c <= '9';
            case "alnum" -> inClass("alpha", c) || inClass("digit", c);
            case "upper" -> c >= 'A' && c <= 'Z';
            case "lower" -> c >= 'a' && c <= 'z';
            case "space" -> c == ' ' || (c >= '\t' && c <= '\r');
            case "blank" -> c == ' ' || c == '\t';
            case "punct" -> c > ' ' && c < 0x7f && !inClass("alnum", c);
            case "print" -> c >= ' ' && c < 0x7f;
            case "graph" -> c > ' ' && c < 0x7f;
            case "cntrl" -> c < ' ' || c == 0x7f;
            case "xdigit" -> inClass("digit", c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            default -> throw new PosixRegex.SyntaxError("unknown character class '" + name + "'");
        };
    }
}
