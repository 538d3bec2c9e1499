package org.scaleml.train.robust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Mean, median and trimmed mean against a reference that sorts each coordinate with {@link Arrays#sort}. */
class CoordinateRulesTest {

    /**
     * Random vectors of one of three kinds: Gaussian, small integers (many ties) or Gaussian with NaN and
     * infinities mixed in.
     */
    private static float[][] inputs(SplittableRandom r, int world, int n, int kind) {
        float[][] g = new float[world][n];
        for (float[] gi : g) {
            for (int j = 0; j < n; j++) {
                gi[j] = switch (kind) {
                    case 0 -> (float) (RobustTesting.gaussian(r) * Math.exp(4 * r.nextDouble()));
                    case 1 -> r.nextInt(-3, 4);
                    default -> {
                        int c = r.nextInt(12);
                        yield c == 0 ? Float.NaN : c == 1 ? Float.POSITIVE_INFINITY : c == 2 ? Float.NEGATIVE_INFINITY
                                : (float) RobustTesting.gaussian(r);
                    }
                };
            }
        }
        return g;
    }

    private static float[] column(float[][] g, int j) {
        float[] c = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            c[i] = g[i][j];
        }
        Arrays.sort(c); // total order, NaN last: the order the rules promise
        return c;
    }

    private static float referenceTrimmed(float[] sorted, int trim) {
        double s = 0;
        for (int k = trim; k < sorted.length - trim; k++) {
            s += sorted[k];
        }
        return (float) (s / (sorted.length - 2 * trim));
    }

    private static float referenceMedian(float[] sorted) {
        int p = sorted.length;
        return p % 2 == 1 ? sorted[p / 2] : (float) (((double) sorted[p / 2 - 1] + sorted[p / 2]) / 2);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void medianMatchesSortingReference(@ForAll @IntRange(min = 1, max = 33) int world,
                                       @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int off = r.nextInt(4);
        int len = r.nextInt(1, 40);
        float[][] g = inputs(r, world, off + len + 2, kind);
        float[] out = new float[off + len + 2];
        Aggregators.create("median", world, 0).aggregate(g, off, len, out);
        for (int j = off; j < off + len; j++) {
            assertThat(Float.floatToIntBits(out[j])).as("coordinate %d of %d workers", j, world)
                    .isEqualTo(Float.floatToIntBits(referenceMedian(column(g, j))));
        }
        assertThat(out[off + len]).isZero(); // outside the slice untouched
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void trimmedMeanMatchesSortingReference(@ForAll @IntRange(min = 1, max = 33) int world,
                                            @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int trim = r.nextInt((world - 1) / 2 + 1);
        int f = r.nextInt(trim + 1);
        int len = r.nextInt(1, 40);
        float[][] g = inputs(r, world, len, kind);
        Aggregator a = Aggregators.create("trimmed-mean:trim=" + trim, world, Math.min(f, world - 1));
        float[] out = RobustTesting.aggregate(a, g);
        for (int j = 0; j < len; j++) {
            assertThat(Float.floatToIntBits(out[j])).as("coordinate %d, %d workers, trim %d", j, world, trim)
                    .isEqualTo(Float.floatToIntBits(referenceTrimmed(column(g, j), trim)));
        }
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void meanIsTheDoubleAverage(@ForAll @IntRange(min = 1, max = 33) int world, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] g = inputs(r, world, 20, r.nextInt(2));
        float[] out = RobustTesting.aggregate(Aggregators.create("mean", world, 0), g);
        for (int j = 0; j < 20; j++) {
            double s = 0;
            for (float[] gi : g) {
                s += gi[j];
            }
            assertThat(out[j]).isEqualTo((float) (s / world));
        }
    }

    @Test
    void handExamples() {
        float[][] g = {{1, 10}, {100, -3}, {2, 4}, {-50, 5}, {3, 6}};
        assertThat(RobustTesting.aggregate(Aggregators.create("median", 5, 2), g)).containsExactly(2, 5);
        // drop 100 and -50, average 1, 2, 3; drop 10 and -3, average 4, 5, 6
        assertThat(RobustTesting.aggregate(Aggregators.create("trimmed-mean", 5, 1), g)).containsExactly(2, 5);
        float[][] even = {{1}, {4}, {2}, {1000}};
        assertThat(RobustTesting.aggregate(Aggregators.create("median", 4, 1), even)).containsExactly(3);
        assertThat(RobustTesting.aggregate(Aggregators.create("mean", 4, 1), even)).containsExactly(251.75f);
    }

    @Test
    void nanAndInfinityFromAMinorityAreIgnored() {
        float[][] g = {{1, 2}, {Float.NaN, Float.POSITIVE_INFINITY}, {3, 4}, {Float.NaN, Float.NEGATIVE_INFINITY},
            {2, 3}};
        assertThat(RobustTesting.aggregate(Aggregators.create("median", 5, 2), g)).containsExactly(3, 3);
        assertThat(RobustTesting.aggregate(Aggregators.create("trimmed-mean:trim=2", 5, 2), g))
                .containsExactly(3, 3);
        assertThat(RobustTesting.aggregate(Aggregators.create("mean", 5, 2), g)[0]).isNaN();
    }
}
