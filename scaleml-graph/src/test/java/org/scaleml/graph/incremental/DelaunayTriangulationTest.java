package org.scaleml.graph.incremental;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scaleml.graph.algo.Run;
import org.scaleml.sched.Scheduler;

class DelaunayTriangulationTest {

    static Stream<Arguments> cases() {
        List<String> sets = List.of("uniform", "grid", "clustered");
        List<String> schedulers = List.of("exact", "mq", "mq-tl", "smq", "obim:delta=2");
        Stream.Builder<Arguments> b = Stream.builder();
        for (String set : sets) {
            for (String s : schedulers) {
                for (int t : new int[] {1, 2, 4}) {
                    b.add(Arguments.of(set, s, t));
                }
            }
        }
        return b.build();
    }

    static double[][] points(String set, long seed) {
        return switch (set) {
            case "uniform" -> PointSets.uniform(2000, seed);
            case "grid" -> PointSets.grid(36, seed);
            default -> PointSets.clustered(1500, seed);
        };
    }

    @ParameterizedTest(name = "{0} on {1} with {2} thread(s)")
    @MethodSource("cases")
    void parallelEqualsSequentialAndIsDelaunay(String set, String scheduler, int threads) {
        for (long seed = threads; seed <= threads + 1; seed++) {
            double[][] p = points(set, seed);
            Run<Triangulation> seq = DelaunayTriangulation.sequential(p[0], p[1], seed);
            assertThat(DelaunayTriangulation.verify(p[0], p[1], seq.result())).isNull();
            Run<Triangulation> par = DelaunayTriangulation.parallel(p[0], p[1], seed,
                    new Scheduler(scheduler, threads, seed));
            assertThat(par.result().sameTriangles(seq.result())).as("same triangles as sequential").isTrue();
            assertThat(par.stats().tasks()).isEqualTo(p[0].length + par.stats().wastedTasks());
            assertThat(par.counters().get(DelaunayTriangulation.BLOCKED)
                    + par.counters().get(DelaunayTriangulation.CONFLICTS)).isEqualTo(par.stats().wastedTasks());
        }
    }

    @Test
    void sequentialIsIndependentOfTheOrderEvenOnCocircularGrids() {
        double[][] p = PointSets.grid(30, 3);
        Triangulation a = DelaunayTriangulation.sequential(p[0], p[1], 1).result();
        Triangulation b = DelaunayTriangulation.sequential(p[0], p[1], 2).result();
        assertThat(a.sameTriangles(b)).isTrue();
        assertThat(a.triangles()).isEqualTo(2 * 900 - 2 - 116);
    }

    @Test
    void exactSchedulerOnOneThreadWastesNothing() {
        double[][] p = PointSets.uniform(5000, 9);
        Run<Triangulation> r = DelaunayTriangulation.parallel(p[0], p[1], 9, new Scheduler("exact", 1, 9));
        assertThat(r.stats().wastedTasks()).isZero();
        assertThat(r.stats().tasks()).isEqualTo(5000);
    }

    @Test
    void wasteGrowsWithRelaxation() {
        // One thread, so that only the queue's relaxation makes pops fail; generous: strictly more waste for a
        // MultiQueue of 32 heaps than for one of 2, summed over seeds.
        double[][] p = PointSets.uniform(20_000, 4);
        long few = 0;
        long many = 0;
        for (long seed = 1; seed <= 2; seed++) {
            few += DelaunayTriangulation.parallel(p[0], p[1], seed, new Scheduler("mq:c=2", 1, seed)).stats()
                    .wastedTasks();
            many += DelaunayTriangulation.parallel(p[0], p[1], seed, new Scheduler("mq:c=32", 1, seed)).stats()
                    .wastedTasks();
        }
        assertThat(few).isPositive();
        assertThat(many).isGreaterThan(few);
    }

    @Test
    void verifyDetectsAWrongTriangulation() {
        double[] x = {0, 1, 1, 0};
        double[] y = {0, 0, 1, 1.1};
        Triangulation good = DelaunayTriangulation.sequential(x, y, 1).result();
        assertThat(DelaunayTriangulation.verify(x, y, good)).isNull();
        // The other diagonal of the quadrilateral: a valid triangulation, but not Delaunay.
        int[] t = good.toArray();
        boolean usesDiagonal02 = false;
        for (int i = 0; i < t.length; i += 3) {
            if ((t[i] == 0 || t[i + 1] == 0 || t[i + 2] == 0) && (t[i] == 2 || t[i + 1] == 2 || t[i + 2] == 2)) {
                usesDiagonal02 = true;
            }
        }
        int[] other = usesDiagonal02 ? new int[] {0, 1, 3, 1, 2, 3} : new int[] {0, 1, 2, 0, 2, 3};
        assertThat(DelaunayTriangulation.verify(x, y, Triangulation.of(4, other))).contains("Delaunay");
        assertThat(DelaunayTriangulation.verify(x, y, Triangulation.of(4, new int[] {0, 1, 2})))
                .contains("no triangle");
    }

    @Test
    void collinearAndTinyInputsHaveNoTriangles() {
        double[] x = {0, 1, 2, 3};
        double[] y = {0, 1, 2, 3};
        Triangulation t = DelaunayTriangulation.parallel(x, y, 1, new Scheduler("mq", 2, 1)).result();
        assertThat(t.triangles()).isZero();
        assertThat(DelaunayTriangulation.verify(x, y, t)).isNull();
        assertThat(DelaunayTriangulation.sequential(new double[0], new double[0], 1).result().triangles()).isZero();
        assertThat(DelaunayTriangulation.sequential(new double[] {0, 1, 0}, new double[] {0, 0, 1}, 1).result()
                .triangles()).isEqualTo(1);
    }

    @Test
    void badInputIsRejectedWithTheIndex() {
        assertThatThrownBy(() -> DelaunayTriangulation.sequential(new double[] {0, 1, 0}, new double[] {0, 2, 0}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("point 2 repeats point 0");
        assertThatThrownBy(() -> DelaunayTriangulation.checkInput(new double[] {0, Double.NaN}, new double[] {0, 0}))
                .hasMessageContaining("point 1 is not finite");
    }

    @Test
    void perturbedIncircleNeverTiesOnARealTriangle() {
        double[] x = {0, 1, 1, 0};
        double[] y = {0, 0, 1, 1};
        int s1 = Predicates.incircle(x, y, 0, 1, 2, 3);
        assertThat(s1).isNotZero();
        assertThat(Predicates.incircleRaw(0, 0, 1, 0, 1, 1, 0, 1)).isZero();
        assertThat(Predicates.incircleRaw(1, 0, 0, 1, -1, 0, 0, 0)).isEqualTo(1);
        assertThat(Predicates.incircleRaw(1, 0, 0, 1, -1, 0, 5, 5)).isEqualTo(-1);
        // Exactness beyond double rounding: points that a naive evaluation gets wrong.
        double e = 0x1p-52;
        assertThat(Predicates.orient(0.5, 0.5, 12, 12, 24, 24)).isZero();
        assertThat(Predicates.orient(0.5, 0.5 + e, 12, 12, 24, 24)).isEqualTo(
                Predicates.orientExact(0.5, 0.5 + e, 12, 12, 24, 24));
    }
}
