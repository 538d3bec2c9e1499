package org.scaleml.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scaleml.cli.bench.MapBench;

/**
 * Renders {@link MapBench.Result}s as JSON lines or as an aligned table. The JSON keys are a contract documented
 * in {@code scaleml bench map --help}: add keys, never rename or remove one.
 */
public final class MapReport {
    private MapReport() {
    }

    /** One JSON object, without a line break. */
    public static String jsonLine(MapBench.Result r, double seconds) {
        return Json.object(w -> {
            w.name("impl").value(r.impl());
            w.name("dist").value(r.dist());
            w.name("mix").value(r.mix());
            w.name("keys").value(r.keys());
            w.name("threads").value(r.threads());
            w.name("opsPerSec").value(Math.round(r.opsPerSec()));
            w.name("bytesPerKey").value(Tables.round3(r.bytesPerKey()));
            w.name("opsPerSecRuns").beginArray();
            for (double v : r.opsPerSecRuns()) {
                w.value(Math.round(v));
            }
            w.endArray();
            w.name("seconds").value(seconds);
            w.name("size").value(r.size());
        });
    }

    /**
     * An aligned table, one row per result, with the throughput ratio against {@code skiplist} in the same
     * configuration ("-" when it was not run).
     */
    public static String table(List<MapBench.Result> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"impl", "dist", "mix", "keys", "threads", "ops/s", "bytes/key", "vs skiplist"});
        for (MapBench.Result r : results) {
            double base = results.stream()
                    .filter(b -> b.impl().equals("skiplist") && b.dist().equals(r.dist()) && b.mix().equals(r.mix())
                            && b.keys() == r.keys() && b.threads() == r.threads())
                    .mapToDouble(MapBench.Result::opsPerSec).findFirst().orElse(Double.NaN);
            rows.add(new String[]{
                    r.impl(), r.dist(), r.mix(),
                    String.format(Locale.ROOT, "%,d", r.keys()),
                    Integer.toString(r.threads()),
                    String.format(Locale.ROOT, "%,.0f", r.opsPerSec()),
                    String.format(Locale.ROOT, "%.1f", r.bytesPerKey()),
                    Double.isNaN(base) ? "-" : String.format(Locale.ROOT, "%.2fx", r.opsPerSec() / base)});
        }
        return Tables.align(rows);
    }
}
