package org.scaleml.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scaleml.cli.bench.StmBench;

/**
 * Renders {@link StmBench.Result}s as JSON lines or as an aligned table. The JSON keys are a contract documented in
 * {@code scaleml bench stm --help}: add keys, never rename or remove one.
 */
public final class StmReport {
    private StmReport() {
    }

    /** One JSON object, without a line break. */
    public static String jsonLine(StmBench.Result r) {
        return Json.object(w -> {
            w.name("clock").value(r.clock());
            w.name("clockSpec").value(r.clockSpec());
            w.name("workload").value(r.workload());
            w.name("threads").value(r.threads());
            w.name("txPerSec").value(Math.round(r.txPerSec()));
            w.name("txPerSecRuns").beginArray();
            for (double v : r.txPerSecRuns()) {
                w.value(Math.round(v));
            }
            w.endArray();
            w.name("abortRate").value(Tables.round6(r.abortRate()));
            w.name("extensionsPerTx").value(Tables.round6(r.extensionsPerTx()));
            w.name("nanosPerTx").value(Tables.round3(r.nanosPerTx()));
        });
    }

    /** An aligned table with throughput against {@code gv1} on the same workload and thread count. */
    public static String table(List<StmBench.Result> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"clock", "workload", "threads", "tx/s", "vs gv1", "abort rate", "ns/tx"});
        for (StmBench.Result r : results) {
            double gv1 = results.stream()
                    .filter(o -> o.clockSpec().equals("gv1") && o.workload().equals(r.workload())
                            && o.threads() == r.threads())
                    .mapToDouble(StmBench.Result::txPerSec).findFirst().orElse(Double.NaN);
            rows.add(new String[]{
                    r.clockSpec(),
                    r.workload(),
                    Integer.toString(r.threads()),
                    String.format(Locale.ROOT, "%,.0f", r.txPerSec()),
                    Double.isNaN(gv1) ? "-" : String.format(Locale.ROOT, "%.2fx", r.txPerSec() / gv1),
                    String.format(Locale.ROOT, "%.4f", r.abortRate()),
                    String.format(Locale.ROOT, "%.1f", r.nanosPerTx())});
        }
        return Tables.align(rows);
    }
}
