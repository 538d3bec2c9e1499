package org.scaleml.train.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class KrumTest {

    @Test
    void scoresOnTheLineByHand() {
        // P = 5, f = 1: each score sums the 2 nearest squared distances.
        // 0 -> 1 + 9 = 10, 1 -> 1 + 4 = 5, 3 -> 4 + 9 = 13, 7 -> 16 + 36 = 52, 100 -> 8649 + 9409
        float[][] g = {{0}, {1}, {3}, {7}, {100}};
        assertThat(RobustTesting.aggregate(Aggregators.create("krum", 5, 1), g)).containsExactly(1);
        assertThat(RobustTesting.aggregate(Aggregators.create("krum:m=2", 5, 1), g)).containsExactly(0.5f);
        assertThat(RobustTesting.aggregate(Aggregators.create("krum:m=3", 5, 1), g)).containsExactly(4f / 3);
        assertThat(RobustTesting.aggregate(Aggregators.create("krum:m=4", 5, 1), g)).containsExactly(11f / 4);
    }

    @Test
    void tiesGoToTheLowestRank() {
        // (1,0) and (0,1) both score 2 + 13 = 15; (3,3) scores 26, (-3,-3) 50, the attacker far more
        float[][] g = {{1, 0}, {0, 1}, {3, 3}, {-3, -3}, {100, 100}};
        assertThat(RobustTesting.aggregate(Aggregators.create("krum", 5, 1), g)).containsExactly(1, 0);
        float[][] swapped = {{0, 1}, {1, 0}, {3, 3}, {-3, -3}, {100, 100}};
        assertThat(RobustTesting.aggregate(Aggregators.create("krum", 5, 1), swapped)).containsExactly(0, 1);
    }

    @Test
    void picksAnHonestVectorWhenAttackersSendHugeOnes() {
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 20; trial++) {
            int f = 1 + trial % 3;
            int world = 2 * f + 3 + trial % 4;
            float[] mu = RobustTesting.normal(r, 64);
            float[][] g = RobustTesting.workers(r, mu, 0.3, world - f, f);
            for (int i = world - f; i < world; i++) { // attackers: a tight cluster of huge vectors
                Arrays.fill(g[i], 1e4f + (i - world + f));
            }
            float[] out = RobustTesting.aggregate(Aggregators.create("krum", world, f), g);
            assertThat(IntStream.range(0, world - f).anyMatch(i -> Arrays.equals(out, g[i])))
                    .as("trial %d: Krum's output is bitwise one of the honest vectors", trial).isTrue();
        }
    }

    @Test
    void multiKrumAveragesTheHonestClusterNotTheAttackers() {
        SplittableRandom r = new SplittableRandom(5);
        float[] mu = RobustTesting.normal(r, 32);
        float[][] g = RobustTesting.workers(r, mu, 0.1, 6, 2);
        Arrays.fill(g[6], 50);
        Arrays.fill(g[7], -50);
        // with m = P - f = 6 the six honest vectors are exactly the ones chosen, so the output is their mean
        float[] out = RobustTesting.aggregate(Aggregators.create("krum:m=6", 8, 2), g);
        assertThat(out).containsExactly(RobustTesting.mean(g, 6));
    }

    @Test
    void aNanVectorIsNeverChosen() {
        // scores of the others (2 nearest): (1,1) 0.05 + 0.25, (1.5,1) 0.1 + 0.25, (2,1) 0.25 + 0.65,
        // (1.2,1.1) 0.05 + 0.1; every distance to the NaN vector is NaN, so its score is NaN
        float[][] g = {{Float.NaN, 0}, {1, 1}, {1.5f, 1}, {2, 1}, {1.2f, 1.1f}};
        assertThat(RobustTesting.aggregate(Aggregators.create("krum", 5, 1), g)).containsExactly(1.2f, 1.1f);
        float[] m4 = RobustTesting.aggregate(Aggregators.create("krum:m=4", 5, 1), g);
        assertThat(m4[0]).isCloseTo((1 + 1.5f + 2 + 1.2f) / 4, within(1e-6f));
        assertThat(m4[1]).isCloseTo((1 + 1 + 1 + 1.1f) / 4, within(1e-6f));
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void matchesBruteForceDefinition(@ForAll @IntRange(min = 0, max = 4) int f,
                                     @ForAll @IntRange(min = 0, max = 6) int extra, @ForAll long seed) {
        int world = 2 * f + 3 + extra;
        SplittableRandom r = new SplittableRandom(seed);
        int m = r.nextInt(1, world - f + 1);
        int off = r.nextInt(3);
        int len = r.nextInt(1, 17);
        float[][] g = new float[world][];
        for (int i = 0; i < world; i++) {
            g[i] = RobustTesting.normal(r, off + len);
        }
        double[] score = new double[world];
        for (int i = 0; i < world; i++) {
            double[] d = new double[world - 1];
            int n = 0;
            for (int k = 0; k < world; k++) {
                if (k != i) {
                    double s = 0;
                    for (int j = off; j < off + len; j++) {
                        s += Math.pow((double) g[i][j] - g[k][j], 2);
                    }
                    d[n++] = s;
                }
            }
            Arrays.sort(d);
            score[i] = Arrays.stream(d, 0, world - f - 2).sum();
        }
        int[] best = IntStream.range(0, world).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> score[i]).thenComparingInt(i -> i))
                .limit(m).mapToInt(Integer::intValue).toArray();
        float[] out = new float[off + len];
        Aggregators.create("krum:m=" + m, world, f).aggregate(g, off, len, out);
        for (int j = off; j < off + len; j++) {
            double s = 0;
            for (int i : best) {
                s += g[i][j];
            }
            assertThat(out[j]).isCloseTo((float) (s / m), within(1e-5f));
        }
        if (m == 1) {
            assertThat(Arrays.copyOfRange(out, off, off + len))
                    .containsExactly(Arrays.copyOfRange(g[best[0]], off, off + len));
        }
    }
}
