package dev.flotilla.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UtcTimeTest {

    @Test
    void agreesWithJavaTimeAcrossCenturiesLeapDaysAndTheEpoch() {
        for (String t : new String[] {"1970-01-01T00:00:00.000Z", "2000-02-29T23:59:59.999Z", "1900-03-01T00:00:00.001Z",
                "2026-11-22T10:00:00.123Z", "2100-12-31T12:34:56.789Z", "1969-12-31T23:59:59.999Z"}) {
            assertEquals(t, UtcTime.format(Instant.parse(t).toEpochMilli()));
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long ms = random.nextLong(-2_000_000_000_000L, 8_000_000_000_000L);
            String expected = Instant.ofEpochMilli(ms).truncatedTo(ChronoUnit.MILLIS).toString();
            // Instant prints no fraction when it is zero; ours always has three digits.
            String withMillis = expected.length() == 20 ? expected.replace("Z", ".000Z") : expected;
            assertEquals(withMillis, UtcTime.format(ms), "at " + ms);
        }
    }
}
