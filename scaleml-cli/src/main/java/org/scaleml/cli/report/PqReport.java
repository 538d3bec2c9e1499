package org.scaleml.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scaleml.cli.bench.PqBench;
import org.scaleml.concurrent.quality.RelaxationReport;

/**
 * Renders {@link PqBench.Result}s as JSON lines (the stable, machine-readable form) or as an aligned text table.
 *
 * <p>The JSON keys are a contract: {@code scaleml bench pq --help} documents each of them; add keys, never
 * rename or remove one.
 */
public final class PqReport {
    private PqReport() {
    }

    /** One JSON object, without a line break. */
    public static String jsonLine(PqBench.Result r) {
        PqBench.Settings s = r.settings();
        RelaxationReport q = r.quality();
        return Json.object(w -> {
            w.name("impl").value(r.impl());
            w.name("name").value(r.name());
            w.name("relaxed").value(r.relaxed());
            w.name("threads").value(s.threads());
            w.name("seconds").value(s.seconds());
            w.name("repeats").value(s.repeats());
            w.name("prefill").value(s.prefill());
            w.name("seed").value(s.seed());
            w.name("opsPerSec").value(Math.round(r.opsPerSec()));
            w.name("opsPerSecRuns").beginArray();
            for (double v : r.opsPerSecRuns()) {
                w.value(Math.round(v));
            }
            w.endArray();
            w.name("emptyDeletes").value(Tables.round6(r.emptyDeletes()));
            w.name("qualityPrefill").value(s.qualityPrefill());
            w.name("qualityOps").value(s.qualityOps());
            w.name("deletes").value(q.deletes());
            w.name("rankErrorMean").value(Tables.round3(q.rankErrorMean()));
            w.name("rankErrorMeanRuns").beginArray();
            for (double v : r.rankErrorMeanRuns()) {
                w.value(Tables.round3(v));
            }
            w.endArray();
            w.name("rankErrorP50").value(q.rankErrorP50());
            w.name("rankErrorP99").value(q.rankErrorP99());
            w.name("rankErrorMax").value(q.rankErrorMax());
            if (q.hasDelay()) {
                w.name("delayMean").value(Tables.round3(q.delayMean()));
                w.name("delayP99").value(q.delayP99());
                w.name("delayMax").value(q.delayMax());
            } else {
                w.name("delayMean").nullValue();
                w.name("delayP99").nullValue();
                w.name("delayMax").nullValue();
            }
        });
    }



    /**
     * An aligned table of the results with throughput ratios against {@code pbq} and {@code skiplist} (the first
     * result whose spec is exactly that name; "-" when absent).
     */
    public static String table(List<PqBench.Result> results) {
        double pbq = baseline(results, "pbq");
        double skiplist = baseline(results, "skiplist");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"impl", "kind", "ops/s", "vs pbq", "vs skiplist",
                "rank err mean", "p50", "p99", "max", "delay mean"});
        for (PqBench.Result r : results) {
            RelaxationReport q = r.quality();
            boolean measured = q.deletes() > 0;
            rows.add(new String[]{
                    r.impl(),
                    r.relaxed() ? "relaxed" : "exact",
                    humanRate(r.opsPerSec()),
                    ratio(r.opsPerSec(), pbq),
                    ratio(r.opsPerSec(), skiplist),
                    measured ? String.format(Locale.ROOT, "%.2f", q.rankErrorMean()) : "-",
                    measured ? Long.toString(q.rankErrorP50()) : "-",
                    measured ? Long.toString(q.rankErrorP99()) : "-",
                    measured ? Long.toString(q.rankErrorMax()) : "-",
                    measured && q.hasDelay() ? String.format(Locale.ROOT, "%.2f", q.delayMean()) : "-",
            });
        }
        StringBuilder sb = new StringBuilder(Tables.align(rows));
        for (PqBench.Result r : results) {
            if (r.emptyDeletes() > 0.01) {
                sb.append(String.format(Locale.ROOT, "note: %s: %.1f%% of delete-min calls found nothing (counted in"
                        + " ops/s)%n", r.impl(), 100 * r.emptyDeletes()));
            }
        }
        return sb.toString();
    }

    private static double baseline(List<PqBench.Result> results, String impl) {
        for (PqBench.Result r : results) {
            if (r.impl().equals(impl)) {
                return r.opsPerSec();
            }
        }
        return Double.NaN;
    }

    private static String ratio(double value, double base) {
        if (!(base > 0)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", value / base);
    }

    /** 12345678 -> "12.35 M". */
    public static String humanRate(double v) {
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.2f G", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1f k", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

}
