package org.scaleml.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scaleml.cli.bench.DmeBench;

/**
 * Renders {@link DmeBench.Result}s as JSON lines or as an aligned table. The JSON keys are a contract documented in
 * {@code scaleml bench dme --help}: add keys, never rename or remove one.
 */
public final class DmeReport {
    private DmeReport() {
    }

    /** One JSON object, without a line break. */
    public static String jsonLine(DmeBench.Result r) {
        return Json.object(w -> {
            w.name("codec").value(r.codec());
            w.name("world").value(r.world());
            w.name("elements").value(r.elements());
            w.name("offset").value(r.offset());
            w.name("spread").value(r.spread());
            w.name("noise").value(r.noise().name().toLowerCase(Locale.ROOT));
            w.name("bitsPerElement").value(Tables.round6(r.bitsPerElement()));
            w.name("meanError").value(r.meanError());
            w.name("meanErrorRuns").beginArray();
            for (double v : r.meanErrorRuns()) {
                w.value(v);
            }
            w.endArray();
            w.name("bytesSent").value(r.bytesSent());
            w.name("retries").value(r.retries());
            w.name("millis").value(Tables.round3(r.millis()));
        });
    }

    /** An aligned table with each codec's error against the first QSGD codec of the run (if any). */
    public static String table(List<DmeBench.Result> results) {
        double qsgd = results.stream().filter(o -> o.codec().startsWith("qsgd:")).mapToDouble(
                DmeBench.Result::meanError).findFirst().orElse(Double.NaN);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"codec", "bits/element", "mean error", "qsgd error / this", "retries", "bytes sent",
                "ms"});
        for (DmeBench.Result r : results) {
            rows.add(new String[]{
                    r.codec(),
                    String.format(Locale.ROOT, "%.4f", r.bitsPerElement()),
                    String.format(Locale.ROOT, "%.4g", r.meanError()),
                    Double.isNaN(qsgd) ? "-" : String.format(Locale.ROOT, "%.1fx", qsgd / r.meanError()),
                    Long.toString(r.retries()),
                    String.format(Locale.ROOT, "%,d", r.bytesSent()),
                    String.format(Locale.ROOT, "%.1f", r.millis())});
        }
        return Tables.align(rows);
    }
}
