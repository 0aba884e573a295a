package dev.flotilla.eval.print;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Formats doubles like C++'s default {@code ostream << double} (printf {@code %g}, 6 significant digits). */
public final class FloatFormat {
    private FloatFormat() {}

    public static String format(double d) {
        if (Double.isNaN(d)) return d < 0 ? "-nan" : "nan";
        if (Double.isInfinite(d)) return d < 0 ? "-inf" : "inf";
        if (d == 0) return (1 / d < 0) ? "-0" : "0";
        BigDecimal r = new BigDecimal(d).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exp = r.precision() - r.scale() - 1;
        String digits = r.unscaledValue().abs().toString();
        digits = digits.replaceAll("0+$", "");
        if (digits.isEmpty()) digits = "0";
        String sign = d < 0 ? "-" : "";
        if (exp < -4 || exp >= 6) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = String.valueOf(Math.abs(exp));
            if (e.length() < 2) e = "0" + e;
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + e;
        }
        if (exp < 0) return sign + "0." + "0".repeat(-exp - 1) + digits;
        if (digits.length() <= exp + 1) return sign + digits + "0".repeat(exp + 1 - digits.length());
        return sign + digits.substring(0, exp + 1) + "." + digits.substring(exp + 1);
    }
}
