package org.scaleml.cli;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import javax.imageio.ImageIO;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scaleml plot}: test accuracy against time and against bytes sent, for several training runs. */
@Command(name = "plot",
        header = "Draws test accuracy against time and bytes sent for runs of 'scaleml train'.",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Draws test accuracy against training time and against bytes sent per worker, one line per run,",
                "side by side in one PNG. Each RUN.jsonl holds the epoch lines of 'scaleml train --json' (or of",
                "--out); a file may hold several runs, told apart by their 'label' key (lines without one take the",
                "file name). Lines of other kinds (without testAccuracy) are skipped.",
                "",
        })
final class PlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN.jsonl", arity = "1..*", description = "epoch lines of training runs")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "FILE.png", required = true, description = "the PNG to write")
    Path out;

    @Option(names = "--title", paramLabel = "TEXT", defaultValue = "", description = "a title over both charts")
    String title;

    @Option(names = {"--width"}, defaultValue = "700", description = "width of each chart in pixels (default: 700)")
    int width;

    @Option(names = {"--height"}, defaultValue = "480", description = "height in pixels (default: 480)")
    int height;

    /** One run's points: x = elapsed seconds or cumulative bytes, y = test accuracy. */
    record Series(List<Double> seconds, List<Double> bytes, List<Double> accuracy) {
        Series() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    @Override
    public Integer call() throws IOException {
        Flags.atLeast(spec, "--width", width, 200, 8000);
        Flags.atLeast(spec, "--height", height, 150, 8000);
        Flags.outputFile(spec, "--out", out);
        Map<String, Series> series = read();
        if (series.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no epoch lines (with testAccuracy) in "
                    + runs.stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElse(""));
        }
        XYChart byTime = chart("test accuracy against training time", "training time (s)");
        XYChart byBytes = chart("test accuracy against bytes sent", "bytes sent per worker (MB)");
        for (Map.Entry<String, Series> e : series.entrySet()) {
            Series s = e.getValue();
            byTime.addSeries(e.getKey(), s.seconds(), s.accuracy()).setMarker(SeriesMarkers.CIRCLE);
            List<Double> mb = new ArrayList<>();
            s.bytes().forEach(b -> mb.add(b / 1e6));
            byBytes.addSeries(e.getKey(), mb, s.accuracy()).setMarker(SeriesMarkers.CIRCLE);
        }
        byBytes.getStyler().setXAxisLogarithmic(allPositive(series));
        BufferedImage a = BitmapEncoder.getBufferedImage(byTime);
        BufferedImage b = BitmapEncoder.getBufferedImage(byBytes);
        int top = title.isEmpty() ? 0 : 30;
        BufferedImage img = new BufferedImage(a.getWidth() + b.getWidth(), Math.max(a.getHeight(), b.getHeight())
                + top, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        if (top > 0) {
            g.setColor(java.awt.Color.BLACK);
            g.setFont(g.getFont().deriveFont(java.awt.Font.BOLD, 16f));
            g.drawString(title, 10, 20);
        }
        g.drawImage(a, 0, top, null);
        g.drawImage(b, a.getWidth(), top, null);
        g.dispose();
        if (!ImageIO.write(img, "png", out.toFile())) {
            throw new IOException("no PNG writer available");
        }
        spec.commandLine().getOut().println(String.format(Locale.ROOT, "wrote %s: %d runs", out, series.size()));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static boolean allPositive(Map<String, Series> series) {
        for (Series s : series.values()) {
            for (double b : s.bytes()) {
                if (!(b > 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    private XYChart chart(String t, String x) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(t).xAxisTitle(x)
                .yAxisTitle("test accuracy").build();
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        c.getStyler().setYAxisDecimalPattern("0.000");
        return c;
    }

    /** Reads every file; errors name the file and line. */
    private Map<String, Series> read() throws IOException {
        Map<String, Series> m = new LinkedHashMap<>();
        for (Path p : runs) {
            if (!Files.isReadable(p)) {
                throw new ParameterException(spec.commandLine(), "no such file: " + p);
            }
            String fallback = p.getFileName().toString().replaceFirst("\\.jsonl?$", "");
            try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                String line;
                int no = 0;
                while ((line = r.readLine()) != null) {
                    no++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonObject o;
                    try {
                        JsonElement e = JsonParser.parseString(line);
                        if (!e.isJsonObject()) {
                            throw new JsonSyntaxException("not a JSON object");
                        }
                        o = e.getAsJsonObject();
                    } catch (JsonSyntaxException e) {
                        throw new ParameterException(spec.commandLine(), p + ":" + no + ": not a JSON line ("
                                + ScaleMl.oneLine(e.getMessage()) + ")");
                    }
                    if (!o.has("testAccuracy")) {
                        continue;
                    }
                    String label = o.has("label") ? o.get("label").getAsString() : fallback;
                    Series s = m.computeIfAbsent(label, k -> new Series());
                    try {
                        s.accuracy().add(o.get("testAccuracy").getAsDouble());
                        s.seconds().add(number(o, "elapsedSeconds", "seconds"));
                        s.bytes().add(number(o, "totalBytesSentPerRank", "bytesSentPerRank"));
                    } catch (RuntimeException e) {
                        throw new ParameterException(spec.commandLine(), p + ":" + no + ": " + e.getMessage());
                    }
                }
            }
        }
        return m;
    }

    private static double number(JsonObject o, String key, String alt) {
        if (o.has(key)) {
            return o.get(key).getAsDouble();
        }
        if (o.has(alt)) {
            return o.get(alt).getAsDouble();
        }
        throw new IllegalArgumentException("a line with testAccuracy but no " + key);
    }
}
