package org.scaleml.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scaleml.cli.bench.GraphBench;
import org.scaleml.cli.graph.GraphInput;
import org.scaleml.cli.graph.GraphRun;
import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.RunStats;

/**
 * Renders graph runs as JSON lines (the stable, machine-readable form) or text. The JSON keys are a contract:
 * the commands' {@code --help} documents each; add keys, never rename or remove one.
 */
public final class GraphReport {
    private GraphReport() {
    }

    /**
     * What one algorithm command ran, for its JSON line.
     *
     * @param source    source as a file id, or null if the algorithm has none
     * @param target    target as a file id, or null
     * @param reference the sequential reference, or null without --verify
     * @param mismatch  null if verified (or not verified at all), else the first difference
     */
    public record Single(GraphInput.Loaded input, GraphRun.Execution execution, long seed, Long source, Long target,
                         GraphRun.Reference reference, String mismatch) {
    }

    /** One JSON object, without a line break, for an algorithm command. */
    public static String jsonLine(Single s) {
        GraphRun.Execution e = s.execution();
        RunStats st = e.stats();
        CsrGraph g = s.input().graph();
        return Json.object(w -> {
            w.name("algo").value(e.algo().command());
            w.name("method").value(e.method());
            w.name("scheduler").value(st.scheduler());
            w.name("queue").value(st.queue());
            w.name("threads").value(st.threads());
            w.name("seed").value(s.seed());
            w.name("graph").value(String.valueOf(s.input().file()));
            w.name("format").value(s.input().format().name().toLowerCase(Locale.ROOT));
            w.name("directed").value(g.isDirected());
            w.name("nodes").value(g.nodes());
            w.name("edges").value(g.edges());
            w.name("arcs").value(g.arcs());
            if (s.source() != null) {
                w.name("source").value(s.source());
            }
            if (s.target() != null) {
                w.name("target").value(s.target());
            }
            w.name("fromCache").value(s.input().fromCache());
            w.name("loadMillis").value(Tables.round3(s.input().loadMillis()));
            w.name("millis").value(Tables.round3(e.millis()));
            w.name("tasks").value(st.tasks());
            w.name("wastedTasks").value(st.wastedTasks());
            if (e.exactTasks() >= 0) {
                w.name("extraWork").value(Tables.round6(st.extraWorkRatio(e.exactTasks())));
            }
            w.name("emptyPolls").value(st.emptyPolls());
            w.name("steals").value(st.steals());
            w.name("checksum").value(e.checksum());
            for (Map.Entry<String, Object> d : e.details().entrySet()) {
                w.name(d.getKey());
                Object v = d.getValue();
                if (v == null) {
                    w.nullValue();
                } else {
                    w.value((Number) v);
                }
            }
            if (s.reference() != null) {
                w.name("verified").value(s.mismatch() == null);
                w.name("referenceMillis").value(Tables.round3(s.reference().millis()));
                w.name("referenceChecksum").value(s.reference().checksum());
            }
        });
    }

    /** A short human-readable summary of an algorithm command's run (several lines). */
    public static String text(Single s) {
        GraphRun.Execution e = s.execution();
        RunStats st = e.stats();
        CsrGraph g = s.input().graph();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s on %s: %,d nodes, %,d edges (%s, loaded in %.0f ms%s)%n",
                e.algo().command(), s.input().file(), g.nodes(), g.edges(),
                g.isDirected() ? "directed" : "undirected", s.input().loadMillis(),
                s.input().fromCache() ? " from the cache" : ""));
        String how = e.method().equals(org.scaleml.cli.graph.GraphAlgo.SCHEDULER)
                ? "scheduler " + st.scheduler() + " (" + st.queue() + ")" : "method " + e.method();
        sb.append(String.format(Locale.ROOT, "%s, %d thread(s): %.1f ms, %,d tasks, %,d wasted",
                how, st.threads(), e.millis(), st.tasks(), st.wastedTasks()));
        if (e.exactTasks() >= 0) {
            sb.append(String.format(Locale.ROOT, ", extra work %.2f%%", 100 * st.extraWorkRatio(e.exactTasks())));
        }
        sb.append(String.format(Locale.ROOT, "%nchecksum %d", e.checksum()));
        for (Map.Entry<String, Object> d : e.details().entrySet()) {
            sb.append(", ").append(d.getKey()).append(' ').append(d.getValue() == null ? "-" : d.getValue());
        }
        sb.append(System.lineSeparator());
        if (s.reference() != null) {
            sb.append(s.mismatch() == null
                    ? String.format(Locale.ROOT, "verified: equal to the sequential reference (%.1f ms; speedup %.2fx)%n",
                    s.reference().millis(), s.reference().millis() / e.millis())
                    : "NOT verified: " + s.mismatch() + System.lineSeparator());
        }
        return sb.toString();
    }

    /** One JSON object, without a line break, for a {@code bench graph} contender. */
    public static String jsonLine(GraphBench.Result r, String algo, String graph) {
        return Json.object(w -> {
            w.name("algo").value(algo);
            w.name("graph").value(graph);
            w.name("name").value(r.name());
            w.name("kind").value(r.kind());
            if (r.method() != null) {
                w.name("method").value(r.method());
            } else {
                w.name("method").nullValue();
            }
            w.name("default").value(r.isDefault());
            if (r.queue() != null) {
                w.name("queue").value(r.queue());
            } else {
                w.name("queue").nullValue();
            }
            w.name("threads").value(r.threads());
            w.name("medianMillis").value(Tables.round3(r.medianMillis()));
            w.name("runsMillis").beginArray();
            for (double v : r.runsMillis()) {
                w.value(Tables.round3(v));
            }
            w.endArray();
            w.name("tasks").value(r.tasks());
            w.name("wastedTasks").value(r.wastedTasks());
            w.name("steals").value(r.steals());
            w.name("exactTasks").value(r.exactTasks());
            if (Double.isFinite(r.extraWork())) {
                w.name("extraWork").value(Tables.round6(r.extraWork()));
            } else {
                w.name("extraWork").nullValue();
            }
            w.name("checksum").value(r.checksum());
            w.name("verified").value(r.verified());
            w.name("speedupVsSequential").value(Tables.round3(r.speedupVsSequential()));
        });
    }

    /** An aligned table of {@code bench graph} results with speedups against the sequential reference. */
    public static String table(List<GraphBench.Result> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"contender (* default)", "kind", "threads", "median ms", "vs sequential", "tasks", "wasted",
                "extra work", "verified"});
        for (GraphBench.Result r : results) {
            rows.add(new String[] {
                    r.isDefault() ? r.name() + " *" : r.name(),
                    r.kind(),
                    Integer.toString(r.threads()),
                    String.format(Locale.ROOT, "%.1f", r.medianMillis()),
                    String.format(Locale.ROOT, "%.2fx", r.speedupVsSequential()),
                    r.tasks() >= 0 ? String.format(Locale.ROOT, "%,d", r.tasks()) : "-",
                    String.format(Locale.ROOT, "%,d", r.wastedTasks()),
                    Double.isFinite(r.extraWork()) ? String.format(Locale.ROOT, "%.2f%%", 100 * r.extraWork()) : "-",
                    r.verified() ? "yes" : "NO",
            });
        }
        return Tables.align(rows);
    }



}
