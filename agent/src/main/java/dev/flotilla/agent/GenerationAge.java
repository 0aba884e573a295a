package dev.flotilla.agent;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The age of generations to delete, as operators write it: {@code 30d}, {@code 12h}, {@code 90m} or {@code 3600s}. */
public final class GenerationAge {
    private static final Pattern AGE = Pattern.compile("([0-9]+)([dhms])");

    private GenerationAge() {}

    /** @throws AgentException (bad request) naming the text when it is not an age */
    public static Duration parse(String text) {
        Matcher m = AGE.matcher(text.strip());
        if (!m.matches()) {
            throw new AgentException(AgentException.Kind.BAD_REQUEST, "age must look like 30d, 12h, 90m or 3600s, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
