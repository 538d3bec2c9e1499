package org.scaleml.spark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@link SparkBench} prints: one JSON object per measurement on stdout (keys {@code mode}, {@code kind}, the
 * figures, then {@code cores}, {@code workers} and {@code loadAverage}), a readable line per measurement on stderr,
 * and the small statistics the measurements are summarized with (medians, epochs after the first).
 *
 * <p>The static methods are stateless and thread-safe; {@link #emit} writes to {@link System#out} and is meant for
 * the bench's one driver thread.
 */
final class BenchReport {
    static final ObjectMapper JSON = new ObjectMapper();

    private final int cores;
    private final int workers;

    /** @param cores, workers the run's Spark cores and ScaleML workers, added to every JSON object */
    BenchReport(int cores, int workers) {
        this.cores = cores;
        this.workers = workers;
    }

    /** Adds the cores, workers and load average to {@code n} and prints it as one line on stdout. */
    void emit(ObjectNode n) {
        n.put("cores", cores).put("workers", workers).put("loadAverage", loadAverage());
        System.out.println(n.toString());
        System.out.flush();
    }

    /** A new JSON object with its {@code mode} and {@code kind}. */
    static ObjectNode node(String mode, String kind) {
        return JSON.createObjectNode().put("mode", mode).put("kind", kind);
    }

    static ArrayNode array(double[] xs) {
        ArrayNode a = JSON.createArrayNode();
        for (double x : xs) {
            a.add(x);
        }
        return a;
    }

    /** One readable line on stderr, formatted in {@link Locale#ROOT}. */
    static void log(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or "unknown". */
    static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The median of {@code xs} (the mean of the middle two for an even count); NaN for none. */
    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (a.length == 0) {
            return Double.NaN;
        }
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /** Every value but the first (the epochs after the first). */
    static List<Double> tail(double[] xs) {
        List<Double> out = new ArrayList<>();
        for (int i = 1; i < xs.length; i++) {
            out.add(xs[i]);
        }
        return out;
    }

    /** The values rounded to two decimals, for the readable lines. */
    static double[] round(double[] xs) {
        return Arrays.stream(xs).map(x -> Math.round(x * 100) / 100.0).toArray();
    }
}
