package org.scaleml.cli.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.scaleml.bp.BpEngine;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.engine.BpEngines;

/**
 * Runs several belief-propagation engines side by side on one factor graph, in one JVM, with the same {@link
 * BpOptions}, and compares each with the exact residual schedule ({@value #REFERENCE}): time, message updates,
 * convergence and marginals. Used by {@code scaleml bench bp}; free of command-line concerns.
 *
 * <h2>Method</h2>
 * The engines run in rounds, each engine once per round, the reference first: {@code warmups} untimed rounds, then
 * {@code repeats} timed rounds. Interleaving gives every engine the same share of the machine's noise and the same
 * JIT state (as {@link GraphBench} does). A full collection ({@code System.gc()}) precedes every timed run, so no
 * engine inherits another's garbage. Times are the engine's own wall time of the run ({@link BpResult#nanos()}: the
 * model is built once, before the rounds).
 *
 * <p>Per engine, over its timed runs: the median time and the median number of updates (the lower middle one for
 * an even count), whether every run converged, the largest final residual, and the largest absolute difference of
 * any marginal entry from the reference's marginals of the same round ({@code 0} for the reference itself). The
 * ratios are against the reference's medians: {@code speedupVsResidual = reference median time / this median time},
 * {@code updatesVsResidual = this median updates / reference median updates}.
 *
 * <p>Threads: each engine starts and joins its own workers inside every run; nothing survives a call. Engines are
 * created once and are stateless, so rounds are independent.
 */
public final class BpBench {
    /** The engine every other is compared with; it always runs, first in every round. */
    public static final String REFERENCE = "residual";

    private BpBench() {
    }

    /**
     * What to run.
     *
     * @param engines engine names ({@link BpEngines#names()}), at least one, none twice; stored canonical (as the
     *                engines spell their names), with {@value #REFERENCE} first, added if it was not listed
     * @param options the options of every run (threads, epsilon, update cap, damping, seed)
     * @param warmups untimed rounds before the timed ones, at least 0
     * @param repeats timed rounds, at least 1
     */
    public record Settings(List<String> engines, BpOptions options, int warmups, int repeats) {
        /**
         * @throws IllegalArgumentException for an unknown engine (the message lists the known ones), an engine
         *                                  listed twice, or counts out of range
         */
        public Settings {
            Objects.requireNonNull(options, "options");
            if (warmups < 0 || repeats < 1) {
                throw new IllegalArgumentException("warmups must be at least 0 and repeats at least 1, got "
                        + warmups + " and " + repeats);
            }
            List<String> names = new ArrayList<>();
            names.add(REFERENCE);
            boolean referenceListed = false;
            for (String e : engines) {
                String name = BpEngines.create(e).name();
                if (name.equals(REFERENCE) && !referenceListed) {
                    referenceListed = true;
                } else if (names.contains(name)) {
                    throw new IllegalArgumentException("engine '" + name + "' is listed twice");
                } else {
                    names.add(name);
                }
            }
            engines = List.copyOf(names);
        }

        /** Number of {@link PqBench.Progress#done()} calls one {@link #run} makes. */
        public int steps() {
            return engines.size() * (warmups + repeats);
        }
    }

    /**
     * One engine's measurements over the timed runs (see the class documentation).
     *
     * @param engine            the engine's name
     * @param threads           threads the engine was given
     * @param runsMillis        every timed run, in run order
     * @param medianMillis      median of {@code runsMillis}
     * @param updates           median message updates
     * @param updatesVsResidual {@code updates} over the reference's
     * @param speedupVsResidual the reference's median time over {@code medianMillis}
     * @param converged         every timed run converged
     * @param maxResidual       the largest final residual of the timed runs
     * @param maxMarginalDiff   the largest absolute difference of a marginal entry from the reference's of the same
     *                          round (NaN if a marginal was NaN)
     * @param engines           the engines the last timed run used ({@link BpResult#engines()}: {@code auto} names
     *                          its stages)
     * @param counters          the median of each of the engine's counters over the timed runs ({@link
     *                          BpResult#counters()}; empty for the exact engines)
     */
    public record Result(String engine, int threads, double[] runsMillis, double medianMillis, long updates,
                         double updatesVsResidual, double speedupVsResidual, boolean converged, double maxResidual,
                         double maxMarginalDiff, List<String> engines, Map<String, Long> counters) {
        public Result {
            runsMillis = runsMillis.clone();
            engines = List.copyOf(engines);
            counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        }

        @Override
        public double[] runsMillis() {
            return runsMillis.clone();
        }
    }

    /** The timed runs of one engine, collected round by round. */
    private static final class Tally {
        final BpEngine engine;
        final double[] millis;
        final long[] updates;
        boolean converged = true;
        double maxResidual;
        double maxDiff;
        List<String> engines = List.of();
        final Map<String, long[]> counters = new LinkedHashMap<>();

        Tally(BpEngine engine, int repeats) {
            this.engine = engine;
            this.millis = new double[repeats];
            this.updates = new long[repeats];
        }

        void add(int run, BpResult r, double diff) {
            millis[run] = r.millis();
            updates[run] = r.updates();
            converged &= r.converged();
            maxResidual = Math.max(maxResidual, r.maxResidual()); // NaN stays NaN
            maxDiff = Math.max(maxDiff, diff);
            engines = r.engines();
            for (Map.Entry<String, Long> c : r.counters().entrySet()) {
                counters.computeIfAbsent(c.getKey(), k -> new long[millis.length])[run] = c.getValue();
            }
        }

        Map<String, Long> medianCounters() {
            Map<String, Long> m = new LinkedHashMap<>();
            counters.forEach((k, v) -> m.put(k, GraphBench.median(v)));
            return m;
        }
    }

    /**
     * Runs every engine of {@code s} on {@code g} and returns one result per engine, the reference first.
     *
     * @throws org.scaleml.bp.ZeroProbabilityException if the model gives every assignment probability zero
     */
    public static List<Result> run(FactorGraph g, Settings s, PqBench.Progress progress) {
        List<Tally> tallies = new ArrayList<>();
        for (String name : s.engines()) {
            tallies.add(new Tally(BpEngines.create(name), s.repeats()));
        }
        for (int r = -s.warmups(); r < s.repeats(); r++) {
            double[][] reference = null;
            for (Tally t : tallies) {
                progress.phase(t.engine.name(), r < 0 ? "warm-up " + (r + s.warmups() + 1) + "/" + s.warmups()
                        : "run " + (r + 1) + "/" + s.repeats());
                if (r >= 0) {
                    System.gc();
                }
                BpResult res = t.engine.run(g, s.options());
                if (reference == null) {
                    reference = res.marginals(); // the reference runs first in every round
                }
                if (r >= 0) {
                    t.add(r, res, maxAbsDifference(reference, res.marginals()));
                }
                progress.done();
            }
        }
        Tally ref = tallies.get(0);
        double refMillis = PqBench.median(ref.millis);
        long refUpdates = GraphBench.median(ref.updates);
        List<Result> results = new ArrayList<>();
        for (Tally t : tallies) {
            double median = PqBench.median(t.millis);
            long updates = GraphBench.median(t.updates);
            results.add(new Result(t.engine.name(), s.options().threads(), t.millis, median, updates,
                    (double) updates / refUpdates, refMillis / median, t.converged, t.maxResidual, t.maxDiff, t.engines,
                    t.medianCounters()));
        }
        return results;
    }

    /**
     * The largest absolute difference between corresponding entries of two marginal tables of the same shape; NaN if
     * any entry is NaN.
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    public static double maxAbsDifference(double[][] a, double[][] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("marginals of " + a.length + " and " + b.length + " variables");
        }
        double max = 0;
        for (int v = 0; v < a.length; v++) {
            if (a[v].length != b[v].length) {
                throw new IllegalArgumentException("variable " + v + ": " + a[v].length + " and " + b[v].length
                        + " values");
            }
            for (int x = 0; x < a[v].length; x++) {
                max = Math.max(max, Math.abs(a[v][x] - b[v][x])); // NaN stays NaN
            }
        }
        return max;
    }
}
