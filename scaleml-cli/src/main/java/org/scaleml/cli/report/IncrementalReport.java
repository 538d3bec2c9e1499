package org.scaleml.cli.report;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.scaleml.cli.bench.IncrementalBench;

/**
 * Renders {@link IncrementalBench.Result}s as JSON lines, an aligned table, or a PNG plot of extra work and
 * speedup against the scheduler's relaxation. The JSON keys are a contract documented in
 * {@code scaleml bench incremental --help}: add keys, never rename or remove one.
 */
public final class IncrementalReport {
    private IncrementalReport() {
    }

    /** One JSON object, without a line break. */
    public static String jsonLine(IncrementalBench.Result r) {
        return Json.object(w -> {
            w.name("algorithm").value(r.algorithm());
            w.name("scheduler").value(r.scheduler());
            w.name("queue").value(r.queue());
            w.name("threads").value(r.threads());
            w.name("n").value(r.n());
            w.name("millis").value(Tables.round3(r.medianMillis()));
            w.name("runsMillis").beginArray();
            for (double v : r.runsMillis()) {
                w.value(Tables.round3(v));
            }
            w.endArray();
            w.name("tasks").value(r.tasks());
            w.name("wastedTasks").value(r.wastedTasks());
            w.name("extraWorkRatio").value(Tables.round6(r.extraWorkRatio()));
            w.name("speedupVsSequential").value(Tables.round3(r.speedupVsSequential()));
            w.name("verified").value(r.verified());
            w.name("blocked").value(r.blocked());
            w.name("conflicts").value(r.conflicts());
        });
    }

    /** An aligned table with the same figures. */
    public static String table(List<IncrementalBench.Result> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"algorithm", "scheduler", "threads", "n", "ms", "wasted", "extra work", "vs sequential",
                "verified"});
        for (IncrementalBench.Result r : results) {
            rows.add(new String[] {
                    r.algorithm(), r.scheduler(), Integer.toString(r.threads()), String.format(Locale.ROOT, "%,d", r.n()),
                    String.format(Locale.ROOT, "%.1f", r.medianMillis()),
                    String.format(Locale.ROOT, "%,d", r.wastedTasks()),
                    String.format(Locale.ROOT, "%.4f", r.extraWorkRatio()),
                    String.format(Locale.ROOT, "%.2fx", r.speedupVsSequential()),
                    r.verified() ? "yes" : "NO"});
        }
        return Tables.align(rows);
    }

    /**
     * Writes a PNG with two bar charts side by side: extra work (wasted / n) and speedup over the sequential
     * algorithm, one bar group per scheduler in the order run (the relaxation settings), one series per
     * algorithm and thread count.
     */
    public static void plot(List<IncrementalBench.Result> results, Path file) throws IOException {
        List<String> schedulers = new ArrayList<>();
        Map<String, Map<String, IncrementalBench.Result>> series = new LinkedHashMap<>();
        for (IncrementalBench.Result r : results) {
            if (r.scheduler().equals(IncrementalBench.SEQUENTIAL)) {
                continue;
            }
            if (!schedulers.contains(r.scheduler())) {
                schedulers.add(r.scheduler());
            }
            series.computeIfAbsent(r.algorithm() + ", " + r.threads() + " thread" + (r.threads() == 1 ? "" : "s"),
                    k -> new LinkedHashMap<>()).put(r.scheduler(), r);
        }
        CategoryChart extra = chart("extra work against relaxation", "wasted pops / n");
        CategoryChart speed = chart("speedup over the sequential algorithm", "sequential time / time");
        if (series.isEmpty()) {
            schedulers.add("none");
        }
        for (Map.Entry<String, Map<String, IncrementalBench.Result>> e : series.entrySet()) {
            List<Double> ex = new ArrayList<>();
            List<Double> sp = new ArrayList<>();
            for (String s : schedulers) {
                IncrementalBench.Result r = e.getValue().get(s);
                ex.add(r == null ? 0.0 : r.extraWorkRatio());
                sp.add(r == null ? 0.0 : r.speedupVsSequential());
            }
            extra.addSeries(e.getKey(), schedulers, ex);
            speed.addSeries(e.getKey(), schedulers, sp);
        }
        BufferedImage a = BitmapEncoder.getBufferedImage(extra);
        BufferedImage b = BitmapEncoder.getBufferedImage(speed);
        BufferedImage img = new BufferedImage(a.getWidth() + b.getWidth(), Math.max(a.getHeight(), b.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth(), 0, null);
        g.dispose();
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    private static CategoryChart chart(String title, String y) {
        CategoryChart c = new CategoryChartBuilder().width(760).height(480).title(title).xAxisTitle("scheduler")
                .yAxisTitle(y).build();
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        c.getStyler().setXAxisLabelRotation(30);
        return c;
    }
}
