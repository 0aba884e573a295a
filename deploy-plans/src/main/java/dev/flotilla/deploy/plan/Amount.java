package dev.flotilla.deploy.plan;

/** A number of hosts written either as a count ({@code 3}) or as a percentage ({@code "10%"}). */
public record Amount(int value, boolean percent) {

    public static final Amount ZERO = new Amount(0, false);
    public static final Amount ALL = new Amount(100, true);

    public Amount {
        if (value < 0 || percent && value > 100) {
            throw new IllegalArgumentException("amount out of range: " + value + (percent ? "%" : ""));
        }
    }

    /** Parses {@code 3} or {@code "25%"}. */
    public static Amount parse(Object raw) {
        if (raw instanceof Number n && n.longValue() >= 0 && n.longValue() <= Integer.MAX_VALUE && n.doubleValue() == n.longValue()) {
            return new Amount(n.intValue(), false);
        }
        if (raw instanceof String s) {
            String t = s.strip();
            if (t.matches("\\d{1,3}%") && Integer.parseInt(t.substring(0, t.length() - 1)) <= 100) {
                return new Amount(Integer.parseInt(t.substring(0, t.length() - 1)), true);
            }
            if (t.matches("\\d{1,9}")) {
                return new Amount(Integer.parseInt(t), false);
            }
        }
        throw new IllegalArgumentException("expected a count like 3 or a percentage like \"25%\", got " + raw);
    }

    /** How many of {@code total} hosts this selects: percentages round up, so a non-zero share is never empty. */
    public int ofHosts(int total) {
        return percent ? (int) Math.min(total, (total * (long) value + 99) / 100) : Math.min(total, value);
    }

    /** How many failures among {@code total} hosts this tolerates: percentages round down. */
    public int tolerated(int total) {
        return percent ? (int) (total * (long) value / 100) : value;
    }

    @Override
    public String toString() {
        return percent ? value + "%" : String.valueOf(value);
    }
}
