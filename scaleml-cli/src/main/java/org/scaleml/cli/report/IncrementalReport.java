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
     * Writes a PNG of bar charts side by side: for each thread count, the extra work (wasted / n) per scheduler in
     * the order run (the relaxation settings), one bar per algorithm (one chart per thread count, since one
     * thread shows the queue's relaxation alone and its bars are far smaller); then the speedup over the
     * sequential algorithm, one series per algorithm and thread count.
     */
    public static void plot(List<IncrementalBench.Result> results, Path file) throws IOException {
        List<String> schedulers = new ArrayList<>();
        Map<Integer, Map<String, Map<String, IncrementalBench.Result>>> byThreads = new java.util.TreeMap<>();
        Map<String, Map<String, IncrementalBench.Result>> speedSeries = new LinkedHashMap<>();
        for (IncrementalBench.Result r : results) {
            if (r.scheduler().equals(IncrementalBench.SEQUENTIAL)) {
                continue;
            }
            if (!schedulers.contains(r.scheduler())) {
                schedulers.add(r.scheduler());
            }
            byThreads.computeIfAbsent(r.threads(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.algorithm(), k -> new LinkedHashMap<>()).put(r.scheduler(), r);
            speedSeries.computeIfAbsent(r.algorithm() + ", " + threads(r.threads()), k -> new LinkedHashMap<>())
                    .put(r.scheduler(), r);
        }
        if (schedulers.isEmpty()) {
            schedulers.add("none");
        }
        List<BufferedImage> panels = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, Map<String, IncrementalBench.Result>>> t : byThreads.entrySet()) {
            CategoryChart extra = chart("extra work against relaxation, " + threads(t.getKey()), "wasted pops / n");
            for (Map.Entry<String, Map<String, IncrementalBench.Result>> e : t.getValue().entrySet()) {
                List<Double> ex = new ArrayList<>();
                for (String s : schedulers) {
                    IncrementalBench.Result r = e.getValue().get(s);
                    ex.add(r == null ? 0.0 : r.extraWorkRatio());
                }
                extra.addSeries(e.getKey(), schedulers, ex);
            }
            panels.add(BitmapEncoder.getBufferedImage(extra));
        }
        CategoryChart speed = chart("speedup over the sequential algorithm", "sequential time / time");
        for (Map.Entry<String, Map<String, IncrementalBench.Result>> e : speedSeries.entrySet()) {
            List<Double> sp = new ArrayList<>();
            for (String s : schedulers) {
                IncrementalBench.Result r = e.getValue().get(s);
                sp.add(r == null ? 0.0 : r.speedupVsSequential());
            }
            speed.addSeries(e.getKey(), schedulers, sp);
        }
        if (speedSeries.isEmpty()) {
            speed.addSeries("none", schedulers, List.of(0.0));
        }
        panels.add(BitmapEncoder.getBufferedImage(speed));
        int width = 0;
        int height = 0;
        for (BufferedImage p : panels) {
            width += p.getWidth();
            height = Math.max(height, p.getHeight());
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        int x = 0;
        for (BufferedImage p : panels) {
            g.drawImage(p, x, 0, null);
            x += p.getWidth();
        }
        g.dispose();
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    private static String threads(int t) {
        return t + (t == 1 ? " thread" : " threads");
    }

    private static CategoryChart chart(String title, String y) {
        CategoryChart c = new CategoryChartBuilder().width(640).height(580).title(title).xAxisTitle("scheduler")
                .yAxisTitle(y).build();
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        c.getStyler().setXAxisLabelRotation(90);
        c.getStyler().setXAxisTickMarkSpacingHint(12); // a label under every bar group
        return c;
    }
}
