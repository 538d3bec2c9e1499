package org.scaleml.train.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every aggregator promises: determinism, untouched inputs, slices, aliasing, argument checks. */
class AggregatorContractTest {
    static final int WORLD = 7;

    private static float[][] inputs(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] g = RobustTesting.workers(r, RobustTesting.normal(r, 64), 1, WORLD - 2, 2);
        for (int j = 0; j < 64; j++) {
            g[WORLD - 1][j] *= -10;
            g[WORLD - 2][j] = (float) (100 * RobustTesting.gaussian(r));
        }
        return g;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mean", "median", "trimmed-mean", "trimmed-mean:trim=3", "krum", "krum:m=3", "clip",
        "clip:tau=0.5,iters=3"})
    void deterministicAndLeavesInputsAlone(String spec) {
        float[][] g = inputs(42);
        float[][] copy = RobustTesting.deepCopy(g);
        Aggregator a = Aggregators.create(spec, WORLD, 2);
        Aggregator b = Aggregators.create(spec, WORLD, 2);
        for (int step = 0; step < 3; step++) {
            float[] outA = new float[70];
            float[] outB = new float[70];
            outA[69] = outB[69] = 7;
            a.aggregate(g, 3, 61, outA);
            b.aggregate(RobustTesting.deepCopy(g), 3, 61, outB);
            for (int j = 0; j < 70; j++) {
                assertThat(Float.floatToRawIntBits(outA[j])).as("step %d, coordinate %d", step, j)
                        .isEqualTo(Float.floatToRawIntBits(outB[j]));
            }
            assertThat(outA[0]).isZero();
            assertThat(outA[64]).isZero();
            assertThat(outA[69]).isEqualTo(7); // outside the slice: untouched
            assertThat(g).isDeepEqualTo(copy);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mean", "median", "trimmed-mean", "krum", "krum:m=3", "clip:iters=3"})
    void outMayBeOneOfTheInputs(String spec) {
        float[][] g = inputs(9);
        float[] expected = RobustTesting.aggregate(Aggregators.create(spec, WORLD, 2), g);
        float[][] aliased = RobustTesting.deepCopy(g);
        Aggregators.create(spec, WORLD, 2).aggregate(aliased, 0, 64, aliased[0]);
        assertThat(aliased[0]).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mean", "median", "trimmed-mean", "krum", "clip"})
    void rejectsCallsThatDoNotFit(String spec) {
        Aggregator a = Aggregators.create(spec, WORLD, 2);
        float[][] g = inputs(1);
        float[] out = new float[64];
        assertThatThrownBy(() -> a.aggregate(new float[][] {g[0], g[1]}, 0, 64, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 workers but got 2");
        assertThatThrownBy(() -> a.aggregate(g, 10, 60, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slice needs 70");
        assertThatThrownBy(() -> a.aggregate(g, -1, 3, out)).isInstanceOf(IllegalArgumentException.class);
        float[] shortOut = new float[3];
        assertThatThrownBy(() -> a.aggregate(g, 0, 64, shortOut))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out has length 3");
        a.aggregate(g, 5, 0, out); // an empty slice is fine
    }

    @ParameterizedTest
    @ValueSource(strings = {"mean", "median", "trimmed-mean", "krum"})
    void statelessRulesHaveNoState(String spec) {
        Aggregator a = Aggregators.create(spec, WORLD, 2);
        RobustTesting.aggregate(a, inputs(2));
        assertThat(a.state()).isEmpty();
    }
}
