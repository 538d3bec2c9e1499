package org.scaleml.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scaleml.cli.bench.UfBench;

/**
 * Renders {@link UfBench.Result}s as JSON lines or as an aligned table. The JSON keys are a contract documented
 * in {@code scaleml bench uf --help}: add keys, never rename or remove one.
 */
public final class UfReport {
    private UfReport() {
    }

    /** One JSON object, without a line break. */
    public static String jsonLine(UfBench.Result r) {
        return Json.object(w -> {
            w.name("impl").value(r.impl());
            w.name("workload").value(r.workload());
            w.name("threads").value(r.threads());
            w.name("opsPerSec").value(Math.round(r.opsPerSec()));
            w.name("opsPerSecRuns").beginArray();
            for (double v : r.opsPerSecRuns()) {
                w.value(Math.round(v));
            }
            w.endArray();
            w.name("elements").value(r.elements());
            w.name("edges").value(r.edges());
            w.name("merges").value(r.merges());
        });
    }

    /** An aligned table with the throughput ratio against {@code uf-seq} ("-" when it was not run). */
    public static String table(List<UfBench.Result> results) {
        double seq = results.stream().filter(r -> r.impl().equals("uf-seq")).mapToDouble(UfBench.Result::opsPerSec)
                .findFirst().orElse(Double.NaN);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"impl", "threads", "unions/s", "vs uf-seq"});
        for (UfBench.Result r : results) {
            rows.add(new String[]{
                    r.impl(),
                    Integer.toString(r.threads()),
                    String.format(Locale.ROOT, "%,.0f", r.opsPerSec()),
                    Double.isNaN(seq) ? "-" : String.format(Locale.ROOT, "%.2fx", r.opsPerSec() / seq)});
        }
        return Tables.align(rows);
    }
}
