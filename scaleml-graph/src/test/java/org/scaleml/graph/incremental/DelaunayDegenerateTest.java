package org.scaleml.graph.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.scaleml.common.SplitMix64;
import org.scaleml.sched.Scheduler;

/**
 * Many small inputs drawn from a coarse integer lattice, so that collinear and cocircular quadruples are the rule:
 * the triangulation must pass the verifier, be the same for every insertion order, and the parallel run must
 * reproduce it.
 */
class DelaunayDegenerateTest {

    static double[][] lattice(long seed, int n, int side) {
        SplitMix64 r = new SplitMix64(seed);
        Set<Integer> seen = new HashSet<>();
        double[] x = new double[n];
        double[] y = new double[n];
        int k = 0;
        while (k < n) {
            int a = r.nextInt(side);
            int b = r.nextInt(side);
            if (seen.add(a * side + b)) {
                x[k] = a * 0.25 - 1; // exact binary fractions, offset from the origin
                y[k] = b * 0.25 + 3;
                k++;
            }
        }
        return new double[][] {x, y};
    }

    @Test
    void latticeSubsetsAreTriangulatedTheSameWayByEveryOrderAndSchedule() {
        for (long seed = 1; seed <= 150; seed++) {
            int side = 3 + (int) (seed % 9);
            int n = Math.min(side * side, 3 + (int) (seed * 7 % 60));
            double[][] p = lattice(seed, n, side);
            Triangulation a = DelaunayTriangulation.sequential(p[0], p[1], seed).result();
            assertThat(DelaunayTriangulation.verify(p[0], p[1], a)).as("seed %d", seed).isNull();
            Triangulation b = DelaunayTriangulation.sequential(p[0], p[1], seed + 1000).result();
            assertThat(b.sameTriangles(a)).as("another order, seed %d", seed).isTrue();
            Triangulation c = DelaunayTriangulation.parallel(p[0], p[1], seed,
                    new Scheduler(seed % 2 == 0 ? "mq:c=4" : "smq", 2, seed)).result();
            assertThat(c.sameTriangles(a)).as("parallel, seed %d", seed).isTrue();
        }
    }

    @Test
    void pointsOnOneCircleAndOnLinesThroughIt() {
        // 16 points on a circle of radius 5 with integer coordinates (3-4-5 triangles), plus its centre and axes.
        int[][] pts = {{5, 0}, {-5, 0}, {0, 5}, {0, -5}, {3, 4}, {4, 3}, {-3, 4}, {-4, 3}, {3, -4}, {4, -3}, {-3, -4},
                {-4, -3}, {0, 0}, {1, 0}, {2, 0}, {0, 1}, {0, 2}, {-1, 0}, {0, -1}};
        double[] x = new double[pts.length];
        double[] y = new double[pts.length];
        for (int i = 0; i < pts.length; i++) {
            x[i] = pts[i][0];
            y[i] = pts[i][1];
        }
        Triangulation t = DelaunayTriangulation.sequential(x, y, 5).result();
        assertThat(DelaunayTriangulation.verify(x, y, t)).isNull();
        for (long seed = 0; seed < 20; seed++) {
            assertThat(DelaunayTriangulation.sequential(x, y, seed).result().sameTriangles(t)).isTrue();
        }
    }
}
