package org.scaleml.cli.report;

import java.io.IOException;

import com.google.gson.stream.JsonWriter;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;

/** The JSON members of a belief-propagation run, shared by {@code bp}, {@code denoise} and {@code demo}. */
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
        w.name("engines").beginArray();
        for (String e : r.engines()) {
            w.value(e);
        }
        w.endArray();
        for (java.util.Map.Entry<String, Long> c : r.counters().entrySet()) {
            w.name(c.getKey()).value(c.getValue());
        }
    }
}
