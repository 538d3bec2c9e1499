package org.scaleml.bp.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.Generators;

/**
 * Measures every engine on a large Ising grid and a Potts grid (not a unit test). Run after
 * {@code ./mvnw -q -o test -pl scaleml-bp}:
 *
 * <pre>
 * java -Xmx12g -cp scaleml-bp/target/classes:scaleml-bp/target/test-classes:$CONCURRENT_JAR:$SCHED_JAR \
 *     [-Dengines=residual,relaxed-residual] \
 *     org.scaleml.bp.engine.BpMeasure [isingSide=1000] [pottsSide=300] [reps=3] [threads=2]
 * </pre>
 *
 * Ising: J and h uniform in [-0.5, 0.5] (seed 1), Potts: q = 3, J and h uniform in [-0.5, 0.5] (seed 2);
 * epsilon 1e-5; a side of 0 skips that model. The engines are interleaved (repetition r runs every engine once
 * before repetition r + 1 starts), so a noisy machine disturbs all of them alike. Prints per engine the median
 * time, updates, converged flag, stale-task fraction of the relaxed engines, and the ratios the issue asks for.
 */
public final class BpMeasure {
    public static void main(String[] args) {
        int side = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int pSide = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        List<String> engines = System.getProperty("engines") == null ? BpEngines.names()
                : List.of(System.getProperty("engines").split(","));
        BpOptions o = BpOptions.defaults().withEpsilon(1e-5).withThreads(threads);
        if (side > 0) {
            measure("ising " + side + "x" + side, Generators.isingGrid(side, side, -0.5, 0.5, -0.5, 0.5, 1), o, reps,
                    engines);
        }
        if (pSide > 0) {
            measure("potts q=3 " + pSide + "x" + pSide, Generators.pottsGrid(pSide, pSide, 3, -0.5, 0.5, -0.5, 0.5, 2),
                    o, reps, engines);
        }
    }

    static void measure(String label, FactorGraph g, BpOptions o, int reps, List<String> engines) {
        System.out.println("== " + label + " " + g + ", threads=" + o.threads() + ", eps=" + o.epsilon());
        Map<String, List<Double>> times = new LinkedHashMap<>();
        Map<String, BpResult> last = new LinkedHashMap<>();
        Map<String, String> extra = new LinkedHashMap<>();
        for (String name : engines) {
            times.put(name, new ArrayList<>());
        }
        for (int r = 0; r < reps; r++) {
            for (String name : engines) {
                BpResult res;
                if (BpEngines.create(name) instanceof RelaxedResidualBp rel) {
                    RelaxedResidualBp.Detailed d = rel.runDetailed(g, o);
                    res = d.result();
                    extra.put(name, String.format(" tasks=%d wasted=%d (stale %.1f%%) rounds=%d", d.tasks(), d.wasted(),
                            100.0 * d.wasted() / Math.max(1, d.tasks()), d.rounds()));
                } else {
                    res = BpEngines.create(name).run(g, o);
                    extra.put(name, "");
                }
                times.get(name).add(res.millis());
                last.put(name, res);
                System.out.printf("  rep %d %-17s %9.1f ms  updates %,d%n", r, name, res.millis(), res.updates());
            }
        }
        Map<String, Double> ms = new LinkedHashMap<>();
        for (String name : engines) {
            double med = median(times.get(name));
            ms.put(name, med);
            BpResult l = last.get(name);
            System.out.printf("%-17s median %9.1f ms  runs %s  updates %,d  converged %b  maxResidual %.2e%s%n", name,
                    med, times.get(name).stream().map(t -> String.format("%.0f", t)).toList(), l.updates(),
                    l.converged(), l.maxResidual(), extra.get(name));
        }
        for (String rel : new String[] {"relaxed-residual", "smq-residual"}) {
            if (!ms.containsKey(rel) || !ms.containsKey("residual")) {
                continue;
            }
            System.out.printf("%s: time residual/%s = %.2fx, max |marginal diff| vs residual %.2e", rel, rel,
                    ms.get("residual") / ms.get(rel), diff(last.get(rel).marginals(), last.get("residual").marginals()));
            if (ms.containsKey("sync")) {
                System.out.printf(", updates sync/%s = %.2fx, vs sync %.2e", rel,
                        (double) last.get("sync").updates() / last.get(rel).updates(),
                        diff(last.get(rel).marginals(), last.get("sync").marginals()));
            }
            System.out.println();
        }
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static double diff(double[][] a, double[][] b) {
        double m = 0;
        for (int v = 0; v < a.length; v++) {
            for (int x = 0; x < a[v].length; x++) {
                m = Math.max(m, Math.abs(a[v][x] - b[v][x]));
            }
        }
        return m;
    }
}
