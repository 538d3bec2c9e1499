package org.scaleml.spark.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class MlpBaselineTest {
    /** The line as the baseline printed it before it used gson: the format its readers (scripts, docs) know. */
    private static String formatted(int maxIter, int iterations, double seconds, double acc, long n, int cores) {
        return String.format(Locale.ROOT,
                "{\"peer\":\"spark-mllib-mlp\",\"maxIter\":%d,\"iterations\":%d,\"seconds\":%.3f,"
                        + "\"testAccuracy\":%.4f,\"trainExamples\":%d,\"cores\":%d}",
                maxIter, iterations, seconds, acc, n, cores);
    }

    @Test
    void jsonLineHasTheKeysInOrderAndTheFixedDecimals() {
        String line = MlpBaseline.jsonLine(20, 18, 12.3, 0.8, 60_000, 2);
        assertThat(line).isEqualTo("{\"peer\":\"spark-mllib-mlp\",\"maxIter\":20,\"iterations\":18,\"seconds\":12.300,"
                + "\"testAccuracy\":0.8000,\"trainExamples\":60000,\"cores\":2}");
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        assertThat(o.get("seconds").getAsDouble()).isEqualTo(12.3);
    }

    @Test
    void jsonLineMatchesTheFormattedLineDigitForDigit() {
        double[] edges = {0, 0.0004, 0.0005, 0.00049999, 0.0015, 0.0025, 1.0005, 2.5, 0.12345, 0.99995, 1,
            9_999_999.9995, 1e7, 123_456.789_5, 0.1 + 0.2};
        for (double v : edges) {
            assertThat(MlpBaseline.jsonLine(1, 1, v, Math.min(v, 1), 10, 1))
                    .as("%s", v).isEqualTo(formatted(1, 1, v, Math.min(v, 1), 10, 1));
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            double seconds = random.nextDouble() * Math.pow(10, random.nextInt(-4, 6));
            double acc = random.nextInt(10_001) / 10_000.0 + (random.nextBoolean() ? 0 : random.nextDouble() * 1e-4);
            int maxIter = random.nextInt(1, 1000);
            long n = random.nextLong(1, 1L << 40);
            String line = MlpBaseline.jsonLine(maxIter, maxIter - 1, seconds, acc, n, 4);
            String expected = formatted(maxIter, maxIter - 1, seconds, acc, n, 4);
            if (!line.equals(expected)) {
                assertThat(line).as("seconds %s, accuracy %s", seconds, acc).isEqualTo(expected);
            }
        }
    }
}
