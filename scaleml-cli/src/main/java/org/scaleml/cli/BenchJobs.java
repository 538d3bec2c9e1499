package org.scaleml.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A list of measurements run one after another, with a progress bar on a terminal, each result printed as one JSON
 * line as soon as it is known (with {@code --json}) and otherwise an aligned table at the end: the loop that the
 * {@code bench counter} and {@code bench stm} commands share.
 */
final class BenchJobs<R> {
    /** One measurement. */
    interface Measurement<R> {
        R run() throws InterruptedException;
    }

    private final List<String> labels = new ArrayList<>();
    private final List<Measurement<R>> measurements = new ArrayList<>();

    /** Adds a measurement, labelled for the progress bar. */
    void add(String label, Measurement<R> m) {
        labels.add(label);
        measurements.add(m);
    }

    /**
     * Runs every measurement in order and prints the results.
     *
     * @param title    progress bar title, e.g. "bench stm"
     * @param header   printed first without {@code json}
     * @param jsonLine one result as a JSON line
     * @param table    all results as a table, printed last without {@code json}
     */
    List<R> run(String title, String header, Function<R, String> jsonLine, Function<List<R>, String> table,
                PrintWriter out, boolean json) throws InterruptedException {
        if (!json) {
            out.println(header);
            out.flush();
        }
        List<R> results = new ArrayList<>();
        try (TerminalProgress progress = TerminalProgress.open(title, measurements.size())) {
            for (int i = 0; i < measurements.size(); i++) {
                progress.phase(labels.get(i), "measuring");
                R r = measurements.get(i).run();
                results.add(r);
                progress.done();
                if (json) {
                    out.println(jsonLine.apply(r));
                    out.flush();
                }
            }
        }
        if (!json) {
            out.println();
            out.print(table.apply(results));
            out.flush();
        }
        return results;
    }
}
