package org.scaleml.train.robust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The point of the package: under each attack, with 2 attackers among 8 workers, the robust rules stay close to the
 * honest workers' mean while plain averaging is pulled far away.
 */
class RobustnessTest {
    static final int WORLD = 8;
    static final int F = 2;
    static final int DIM = 200;
    static final int STEPS = 4;

    /**
     * Runs {@code STEPS} steps of honest gradients {@code mu + 0.2 N(0, I)} (one fixed {@code mu}, as when training
     * moves slowly), the last {@code F} ranks replaced by the attack, and returns the relative distance
     * {@code ||aggregate - honest mean|| / ||honest mean||} of the last step.
     */
    static double relativeError(String rule, String attack, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] mu = RobustTesting.normal(r, DIM);
        Aggregator a = Aggregators.create(rule, WORLD, F);
        Attack[] attackers = new Attack[WORLD];
        for (int rank = WORLD - F; rank < WORLD; rank++) {
            attackers[rank] = Attacks.create(attack, seed, rank);
        }
        double error = Double.NaN;
        for (long step = 0; step < STEPS; step++) {
            float[][] g = RobustTesting.workers(r, mu, 0.2, WORLD - F, F);
            float[] honestMean = RobustTesting.mean(g, WORLD - F);
            for (int rank = WORLD - F; rank < WORLD; rank++) {
                attackers[rank].apply(g[rank], 0, DIM, step);
            }
            float[] out = RobustTesting.aggregate(a, g);
            error = RobustTesting.distance(out, honestMean) / RobustTesting.norm(honestMean);
        }
        return error;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"signflip", "scaled", "noise:scale=30", "signflip:scale=100"})
    void meanIsPulledFarAway(String attack) {
        for (long seed = 1; seed <= 3; seed++) {
            assertThat(relativeError("mean", attack, seed)).as("seed %d", seed).isGreaterThan(1.5);
        }
    }

    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource({
        "median, signflip", "median, scaled", "median, noise:scale=30", "median, signflip:scale=100",
        "trimmed-mean, signflip", "trimmed-mean, scaled", "trimmed-mean, noise:scale=30",
        "trimmed-mean, signflip:scale=100",
        "krum, signflip", "krum, scaled", "krum, noise:scale=30", "krum, signflip:scale=100",
        "krum:m=4, signflip", "krum:m=4, scaled", "krum:m=4, noise:scale=30", "krum:m=4, signflip:scale=100",
        "clip, signflip", "clip, scaled", "clip, noise:scale=30", "clip, signflip:scale=100",
        "clip:iters=3, signflip", "clip:iters=3, scaled", "clip:iters=3, noise:scale=30",
        "clip:iters=3, signflip:scale=100"})
    void robustRulesStayCloseToTheHonestMean(String rule, String attack) {
        for (long seed = 1; seed <= 3; seed++) {
            double robust = relativeError(rule, attack, seed);
            double mean = relativeError("mean", attack, seed);
            assertThat(robust).as("%s under %s, seed %d", rule, attack, seed).isLessThan(0.25)
                    .isLessThan(mean / 6);
        }
    }
}
