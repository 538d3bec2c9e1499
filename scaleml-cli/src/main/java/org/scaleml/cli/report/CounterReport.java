package org.scaleml.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scaleml.cli.bench.CounterBench;

/**
 * Renders {@link CounterBench.Result}s as JSON lines or as an aligned table. The JSON keys are a contract documented
 * in {@code scaleml bench counter --help}: add keys, never rename or remove one.
 */
public final class CounterReport {
    private CounterReport() {
    }

    /** One JSON object, without a line break. */
    public static String jsonLine(CounterBench.Result r) {
        return Json.object(w -> {
            w.name("impl").value(r.impl());
            w.name("spec").value(r.spec());
            w.name("threads").value(r.threads());
            w.name("incrementsPerSec").value(Math.round(r.incrementsPerSec()));
            w.name("incrementsPerSecRuns").beginArray();
            for (double v : r.incrementsPerSecRuns()) {
                w.value(Math.round(v));
            }
            w.endArray();
            w.name("readNanos").value(Tables.round3(r.readNanos()));
            w.name("relError").value(r.relError());
            w.name("count").value(r.count());
        });
    }

    /** An aligned table with the increment throughput against {@code atomic} at the same thread count. */
    public static String table(List<CounterBench.Result> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"impl", "threads", "increments/s", "vs atomic", "read ns", "rel. error"});
        for (CounterBench.Result r : results) {
            double atomic = results.stream()
                    .filter(o -> o.spec().equals("atomic") && o.threads() == r.threads())
                    .mapToDouble(CounterBench.Result::incrementsPerSec).findFirst().orElse(Double.NaN);
            rows.add(new String[]{
                    r.spec(),
                    Integer.toString(r.threads()),
                    String.format(Locale.ROOT, "%,.0f", r.incrementsPerSec()),
                    Double.isNaN(atomic) ? "-" : String.format(Locale.ROOT, "%.2fx", r.incrementsPerSec() / atomic),
                    String.format(Locale.ROOT, "%.1f", r.readNanos()),
                    String.format(Locale.ROOT, "%.2e", r.relError())});
        }
        return Tables.align(rows);
    }
}
