package org.scaleml.cli.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import com.google.gson.stream.JsonWriter;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;
import org.scaleml.cli.bench.BpBench;

/**
 * The JSON members of a belief-propagation run, shared by {@code bp}, {@code denoise} and {@code demo}, and the
 * lines and table of {@code bench bp}. The JSON keys are a contract: the commands' {@code --help} documents each;
 * add keys, never rename or remove one.
 */
public final class BpReport {
    private BpReport() {
    }

    /**
     * Writes the run's members into the open object of {@code w}: {@code algo, threads, variables, factors, updates,
     * millis, converged, maxResidual, engines} and the engine's counters (for the relaxed engines {@code staleTasks,
     * requeues, priorityInversions, rounds}), documented in {@code scaleml bp --help}.
     */
    public static void writeRun(JsonWriter w, BpResult r, int threads, FactorGraph g) throws IOException {
        w.name("algo").value(r.engine());
        w.name("threads").value(threads);
        w.name("variables").value(g.variables());
        w.name("factors").value(g.factors());
        w.name("updates").value(r.updates());
        w.name("millis").value(Math.round(r.millis() * 1000) / 1000.0);
        w.name("converged").value(r.converged());
        w.name("maxResidual").value(r.maxResidual());
        writeEngines(w, r.engines(), r.counters());
    }

    /** {@code engines} as an array, then every counter as a member of its own. */
    private static void writeEngines(JsonWriter w, List<String> engines, Map<String, Long> counters)
            throws IOException {
        w.name("engines").beginArray();
        for (String e : engines) {
            w.value(e);
        }
        w.endArray();
        for (Map.Entry<String, Long> c : counters.entrySet()) {
            w.name(c.getKey()).value(c.getValue());
        }
    }

    /**
     * One JSON object, without a line break, for a {@code bench bp} engine: {@code model, engine, threads, variables,
     * factors, medianMillis, runsMillis, updates, updatesVsResidual, speedupVsResidual, converged, maxResidual,
     * maxMarginalDiff} (documented in {@code scaleml bench bp --help}); a ratio or figure that is not finite is
     * {@code null}.
     */
    public static String benchJsonLine(BpBench.Result r, String model, FactorGraph g) {
        return Json.object(w -> {
            w.name("model").value(model);
            w.name("engine").value(r.engine());
            w.name("threads").value(r.threads());
            w.name("variables").value(g.variables());
            w.name("factors").value(g.factors());
            w.name("medianMillis").value(Tables.round3(r.medianMillis()));
            w.name("runsMillis").beginArray();
            for (double v : r.runsMillis()) {
                w.value(Tables.round3(v));
            }
            w.endArray();
            w.name("updates").value(r.updates());
            finiteOrNull(w, "updatesVsResidual", Tables.round6(r.updatesVsResidual()), r.updatesVsResidual());
            finiteOrNull(w, "speedupVsResidual", Tables.round3(r.speedupVsResidual()), r.speedupVsResidual());
            w.name("converged").value(r.converged());
            finiteOrNull(w, "maxResidual", r.maxResidual(), r.maxResidual());
            finiteOrNull(w, "maxMarginalDiff", r.maxMarginalDiff(), r.maxMarginalDiff());
            writeEngines(w, r.engines(), r.counters());
        });
    }

    /** Writes {@code shown} under {@code name}, or null when {@code raw} is not finite. */
    private static void finiteOrNull(JsonWriter w, String name, double shown, double raw) throws IOException {
        w.name(name);
        if (Double.isFinite(raw)) {
            w.value(shown);
        } else {
            w.nullValue();
        }
    }

    /** An aligned table of {@code bench bp} results with ratios against the residual reference. */
    public static String benchTable(List<BpBench.Result> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"engine", "threads", "median ms", "vs residual", "updates", "updates vs residual",
                "converged", "max residual", "max marginal diff"});
        for (BpBench.Result r : results) {
            rows.add(new String[] {
                    r.engine(),
                    Integer.toString(r.threads()),
                    String.format(Locale.ROOT, "%.1f", r.medianMillis()),
                    String.format(Locale.ROOT, "%.2fx", r.speedupVsResidual()),
                    String.format(Locale.ROOT, "%,d", r.updates()),
                    String.format(Locale.ROOT, "%.2fx", r.updatesVsResidual()),
                    r.converged() ? "yes" : "NO",
                    String.format(Locale.ROOT, "%.2e", r.maxResidual()),
                    String.format(Locale.ROOT, "%.2e", r.maxMarginalDiff()),
            });
        }
        return Tables.align(rows);
    }
}
