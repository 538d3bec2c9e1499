package org.scaleml.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.scaleml.graph.incremental.DelaunayTriangulation;
import org.scaleml.graph.incremental.RandomInputs;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --points N|FILE} input of {@code scaleml delaunay}: N uniform random points, or a text file of
 * "x y" lines (blank lines and lines starting with '#' skipped; x and y separated by spaces, tabs or a comma).
 * Every problem is reported as one {@link ParameterException} naming the file and line.
 */
final class PointsInput {
    /** The points, their description for the report, and (for a file) the line of each point. */
    record Points(double[] x, double[] y, String source) {
    }

    private PointsInput() {
    }

    static Points load(CommandSpec spec, String value, long seed) throws IOException {
        String v = value == null ? "" : value.trim();
        Path file = Path.of(v.isEmpty() ? "." : v);
        if (!v.isEmpty() && !Files.exists(file) && v.matches("[0-9][0-9_]*[kKmMgG]?")) {
            long n = Flags.count(spec, "--points", v, 0, DelaunayTriangulation.MAX_POINTS);
            double[][] p = RandomInputs.uniformPoints((int) n, seed);
            return new Points(p[0], p[1], "uniform:" + n);
        }
        if (v.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--points needs a count N or a file of 'x y' lines");
        }
        Flags.inputFile(spec, "--points", file, "points file (a count N or a file of 'x y' lines)");
        return read(spec, file);
    }

    private static Points read(CommandSpec spec, Path file) throws IOException {
        double[] x = new double[1024];
        double[] y = new double[1024];
        int[] lines = new int[1024];
        int n = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                String[] f = s.split("[\\s,]+");
                if (f.length != 2) {
                    throw fail(spec, file, no, "expected two numbers 'x y', got '" + clip(s) + "'");
                }
                double px = number(spec, file, no, f[0]);
                double py = number(spec, file, no, f[1]);
                if (n == DelaunayTriangulation.MAX_POINTS) {
                    throw fail(spec, file, no, "too many points (at most " + DelaunayTriangulation.MAX_POINTS + ")");
                }
                if (n == x.length) {
                    int cap = (int) Math.min(DelaunayTriangulation.MAX_POINTS, 2L * n);
                    x = Arrays.copyOf(x, cap);
                    y = Arrays.copyOf(y, cap);
                    lines = Arrays.copyOf(lines, cap);
                }
                x[n] = px;
                y[n] = py;
                lines[n] = no;
                n++;
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ParameterException(spec.commandLine(), "--points " + file + ": not a UTF-8 text file");
        }
        x = Arrays.copyOf(x, n);
        y = Arrays.copyOf(y, n);
        try {
            DelaunayTriangulation.checkInput(x, y);
        } catch (IllegalArgumentException e) {
            // "point I repeats point J: ..." -> name the lines
            String m = e.getMessage();
            java.util.regex.Matcher dup = java.util.regex.Pattern.compile("^point (\\d+) repeats point (\\d+)").matcher(m);
            if (dup.find()) {
                int a = Integer.parseInt(dup.group(1));
                int b = Integer.parseInt(dup.group(2));
                throw fail(spec, file, lines[a], "duplicate point: the same as line " + lines[b]
                        + " (the points must be distinct)");
            }
            throw new ParameterException(spec.commandLine(), "--points " + file + ": " + m);
        }
        return new Points(x, y, file.toString());
    }

    private static double number(CommandSpec spec, Path file, int line, String text) {
        double d;
        try {
            d = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw fail(spec, file, line, "not a number: '" + clip(text) + "'");
        }
        if (!Double.isFinite(d)) {
            throw fail(spec, file, line, "not a finite number: '" + clip(text) + "'");
        }
        return d;
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static ParameterException fail(CommandSpec spec, Path file, int line, String what) {
        return new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "--points %s:%d: %s", file, line,
                what));
    }
}
