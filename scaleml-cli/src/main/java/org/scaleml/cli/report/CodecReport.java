package org.scaleml.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scaleml.cli.bench.CodecBench;
import org.scaleml.comm.codec.Codecs;

/** JSON lines and tables for {@code scaleml bench codec}. */
public final class CodecReport {
    private CodecReport() {
    }

    /** One result as one line of JSON (keys documented in {@code scaleml bench codec --help}). */
    public static String jsonLine(CodecBench.Result r) {
        return Json.object(w -> {
            w.name("codec").value(r.codec());
            w.name("elements").value(r.elements());
            w.name("bytes").value(r.bytes());
            w.name("bitsPerElement").value(Tables.round6(r.bitsPerElement()));
            if (Double.isFinite(r.formulaBitsPerElement())) {
                w.name("formulaBitsPerElement").value(Tables.round6(r.formulaBitsPerElement()));
            } else {
                w.name("formulaBitsPerElement").nullValue();
            }
            w.name("encodeGBps").value(Tables.round3(r.encodeGBps()));
            w.name("decodeGBps").value(Tables.round3(r.decodeGBps()));
            w.name("decodeAddGBps").value(Tables.round3(r.decodeAddGBps()));
            w.name("relError").value(Tables.round6(r.relError()));
            w.name("encodeMillis").value(Tables.round3(r.encodeMillis()));
            w.name("decodeMillis").value(Tables.round3(r.decodeMillis()));
            w.name("kernels").value(Codecs.kernels());
        });
    }

    /** An aligned table of the results. */
    public static String table(List<CodecBench.Result> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"codec", "bits/elem", "formula", "ratio vs fp32", "encode GB/s", "decode GB/s",
                "decode+add GB/s", "rel. error"});
        for (CodecBench.Result r : results) {
            rows.add(new String[] {
                    r.codec(),
                    String.format(Locale.ROOT, "%.3f", r.bitsPerElement()),
                    Double.isFinite(r.formulaBitsPerElement())
                            ? String.format(Locale.ROOT, "%.3f", r.formulaBitsPerElement()) : "-",
                    String.format(Locale.ROOT, "%.1fx", 32.0 / r.bitsPerElement()),
                    String.format(Locale.ROOT, "%.2f", r.encodeGBps()),
                    String.format(Locale.ROOT, "%.2f", r.decodeGBps()),
                    String.format(Locale.ROOT, "%.2f", r.decodeAddGBps()),
                    String.format(Locale.ROOT, "%.4f", r.relError()),
            });
        }
        return Tables.align(rows);
    }
}
