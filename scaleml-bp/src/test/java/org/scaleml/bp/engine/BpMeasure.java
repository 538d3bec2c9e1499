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
 *     org.scaleml.bp.engine.BpMeasure [isingSide=1000] [pottsSide=300] [reps=3] [threads=2]
 * </pre>
 *
 * Ising: J and h uniform in [-0.5, 0.5] (seed 1), Potts: q = 3, J and h uniform in [-0.5, 0.5] (seed 2);
 * epsilon 1e-5. Prints per engine the median time, updates, converged flag, and the ratios the issue asks for.
 */
public final class BpMeasure {
    public static void main(String[] args) {
        int side = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int pSide = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        BpOptions o = BpOptions.defaults().withEpsilon(1e-5).withThreads(threads);
        measure("ising " + side + "x" + side, Generators.isingGrid(side, side, -0.5, 0.5, -0.5, 0.5, 1), o, reps);
        measure("potts q=3 " + pSide + "x" + pSide, Generators.pottsGrid(pSide, pSide, 3, -0.5, 0.5, -0.5, 0.5, 2), o,
                reps);
    }

    static void measure(String label, FactorGraph g, BpOptions o, int reps) {
        System.out.println("== " + label + " " + g + ", threads=" + o.threads() + ", eps=" + o.epsilon());
        Map<String, Double> ms = new LinkedHashMap<>();
        Map<String, Long> ups = new LinkedHashMap<>();
        Map<String, double[][]> marg = new LinkedHashMap<>();
        for (String name : BpEngines.names()) {
            List<Double> times = new ArrayList<>();
            BpResult last = null;
            String extra = "";
            for (int r = 0; r < reps; r++) {
                if (BpEngines.create(name) instanceof RelaxedResidualBp rel) {
                    RelaxedResidualBp.Detailed d = rel.runDetailed(g, o);
                    last = d.result();
                    extra = String.format(" tasks=%d wasted=%d rounds=%d", d.tasks(), d.wasted(), d.rounds());
                } else {
                    last = BpEngines.create(name).run(g, o);
                }
                times.add(last.millis());
            }
            double med = median(times);
            ms.put(name, med);
            ups.put(name, last.updates());
            marg.put(name, last.marginals());
            System.out.printf("%-17s median %9.1f ms  runs %s  updates %,d  converged %b  maxResidual %.2e%s%n", name,
                    med, times.stream().map(t -> String.format("%.0f", t)).toList(), last.updates(), last.converged(),
                    last.maxResidual(), extra);
        }
        for (String rel : new String[] {"relaxed-residual", "smq-residual"}) {
            System.out.printf("%s: time residual/%s = %.2fx, updates sync/%s = %.2fx, max |marginal diff| vs residual "
                            + "%.2e, vs sync %.2e%n", rel, rel, ms.get("residual") / ms.get(rel), rel,
                    (double) ups.get("sync") / ups.get(rel), diff(marg.get(rel), marg.get("residual")),
                    diff(marg.get(rel), marg.get("sync")));
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
