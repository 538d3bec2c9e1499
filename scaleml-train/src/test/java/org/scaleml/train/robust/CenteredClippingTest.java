package org.scaleml.train.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class CenteredClippingTest {

    @Test
    void centreCarriesOverBetweenCallsAndIsRestored() {
        // one worker at 10, radius 1: each call moves the centre by exactly 1 towards it
        Aggregator a = Aggregators.create("clip:tau=1", 1, 0);
        float[][] g = {{10}};
        assertThat(a.state()[0]).isEmpty();
        float[] out = new float[1];
        for (int call = 1; call <= 3; call++) {
            a.aggregate(g, 0, 1, out);
            assertThat(out[0]).isEqualTo(call);
        }
        float[][] saved = a.state();
        assertThat(saved).hasNumberOfRows(1);
        assertThat(saved[0]).containsExactly(3);
        saved[0][0] = 99; // state() is a copy
        Aggregator b = Aggregators.create("clip:tau=1", 1, 0);
        b.restore(a.state());
        a.aggregate(g, 0, 1, out);
        float[] outB = new float[1];
        b.aggregate(g, 0, 1, outB);
        assertThat(outB[0]).isEqualTo(out[0]).isEqualTo(4);
    }

    @Test
    void restoreReproducesARandomRunBitwise() {
        SplittableRandom r = new SplittableRandom(3);
        float[] mu = RobustTesting.normal(r, 50);
        float[][][] steps = new float[6][][];
        for (int s = 0; s < 6; s++) {
            steps[s] = RobustTesting.workers(r, mu, 0.5, 5, 0);
        }
        Aggregator a = Aggregators.create("clip:iters=2", 5, 1);
        for (int s = 0; s < 3; s++) {
            RobustTesting.aggregate(a, steps[s]);
        }
        Aggregator b = Aggregators.create("clip:iters=2", 5, 1);
        b.restore(a.state());
        Aggregator fresh = Aggregators.create("clip:iters=2", 5, 1);
        for (int s = 3; s < 6; s++) {
            float[] outA = RobustTesting.aggregate(a, steps[s]);
            float[] outB = RobustTesting.aggregate(b, steps[s]);
            assertThat(outB).as("step %d", s).containsExactly(outA);
            if (s == 3) {
                assertThat(RobustTesting.aggregate(fresh, steps[s])).as("the state matters").isNotEqualTo(outA);
            }
        }
        assertThatThrownBy(() -> b.restore(new float[2][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one state array");
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void oneAttackerMovesTheOutputByAtMostTwoTauOverP(@ForAll @DoubleRange(min = 0.01, max = 10) double tau,
                                                      @ForAll @DoubleRange(min = -6, max = 6) double logScale,
                                                      @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] mu = RobustTesting.normal(r, 40);
        float[][] honest = RobustTesting.workers(r, mu, 1, 5, 0);
        float[][] attacked = RobustTesting.deepCopy(honest);
        attacked[4] = RobustTesting.normal(r, 40);
        for (int j = 0; j < 40; j++) {
            attacked[4][j] *= (float) Math.pow(10, logScale);
        }
        String spec = "clip:tau=" + tau;
        float[] clean = RobustTesting.aggregate(Aggregators.create(spec, 5, 1), honest);
        float[] dirty = RobustTesting.aggregate(Aggregators.create(spec, 5, 1), attacked);
        // only rank 4's clipped term differs, and each clipped term has norm <= tau / P
        assertThat(RobustTesting.distance(clean, dirty)).isLessThanOrEqualTo(2 * tau / 5 * (1 + 1e-5) + 1e-6);
    }

    @Test
    void oneOfFiveSendingMinusTenTimesItsGradientBarelyMovesTheAggregate() {
        SplittableRandom r = new SplittableRandom(8);
        float[] mu = RobustTesting.normal(r, 100);
        Aggregator clip = Aggregators.create("clip", 5, 1);
        Aggregator mean = Aggregators.create("mean", 5, 1);
        double[] error = new double[5];
        double meanError = 0;
        for (int step = 0; step < 5; step++) {
            float[][] g = RobustTesting.workers(r, mu, 0.1, 4, 1);
            for (int j = 0; j < 100; j++) {
                g[4][j] *= -10;
            }
            float[] honestMean = RobustTesting.mean(g, 4);
            double scale = RobustTesting.norm(honestMean);
            error[step] = RobustTesting.distance(RobustTesting.aggregate(clip, g), honestMean) / scale;
            meanError = RobustTesting.distance(RobustTesting.aggregate(mean, g), honestMean) / scale;
            assertThat(meanError).as("the mean is pulled to about -1.2 x the honest mean").isGreaterThan(2);
        }
        // from a zero centre the radius (median distance) is about ||honest mean||, so the attacker's clipped term
        // pulls the first output back by about 1/P of that: it lands near 0.6 x the honest mean (the mean: -1.2 x)
        assertThat(error[0]).isLessThan(0.5);
        // and as the centre follows the previous aggregates, the attacker's pull shrinks to the noise level
        assertThat(error[4]).isLessThan(0.05).isLessThan(meanError / 40);
        for (int step = 1; step < 5; step++) {
            assertThat(error[step]).as("step %d", step).isLessThan(Math.max(error[step - 1], 0.02));
        }
    }

    @Test
    void adaptiveRadiusIsScaleFree() {
        SplittableRandom r = new SplittableRandom(4);
        float[][] g = RobustTesting.workers(r, RobustTesting.normal(r, 30), 1, 7, 0);
        float[][] scaled = RobustTesting.deepCopy(g);
        for (float[] gi : scaled) {
            for (int j = 0; j < gi.length; j++) {
                gi[j] *= 4; // a power of two: exact, so the output must scale exactly too
            }
        }
        float[] out = RobustTesting.aggregate(Aggregators.create("clip:iters=3", 7, 2), g);
        float[] outScaled = RobustTesting.aggregate(Aggregators.create("clip:iters=3", 7, 2), scaled);
        for (int j = 0; j < out.length; j++) {
            assertThat(outScaled[j]).isEqualTo(4 * out[j]);
        }
    }

    @Test
    void slicesKeepTheirOwnCentres() {
        SplittableRandom r = new SplittableRandom(6);
        Aggregator both = Aggregators.create("clip", 5, 1);
        Aggregator first = Aggregators.create("clip", 5, 1);
        Aggregator second = Aggregators.create("clip", 5, 1);
        for (int step = 0; step < 3; step++) {
            float[][] g = RobustTesting.workers(r, RobustTesting.normal(r, 20), 1, 5, 0);
            float[] outBoth = new float[20];
            both.aggregate(g, 0, 12, outBoth);
            both.aggregate(g, 12, 8, outBoth);
            float[] outFirst = new float[20];
            first.aggregate(g, 0, 12, outFirst);
            float[] outSecond = new float[20];
            second.aggregate(g, 12, 8, outSecond);
            for (int j = 0; j < 20; j++) {
                assertThat(outBoth[j]).isEqualTo(j < 12 ? outFirst[j] : outSecond[j]);
            }
        }
        assertThat(both.state()[0]).hasSize(20);
    }

    @Test
    void aVectorWithNanOrInfinityGetsNoWeight() {
        float[][] g = {{1, 1}, {Float.NaN, 0}, {3, 3}, {Float.POSITIVE_INFINITY, 1}, {2, 2}};
        float[] out = RobustTesting.aggregate(Aggregators.create("clip:iters=5", 5, 2), g);
        assertThat(out[0]).isFinite().isBetween(0f, 3f);
        assertThat(out[1]).isFinite().isBetween(0f, 3f);
    }
}
