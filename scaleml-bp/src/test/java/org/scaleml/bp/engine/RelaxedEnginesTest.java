package org.scaleml.bp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.Generators;

/**
 * The relaxed engines' work accounting (stale tasks, requeues, priority inversions), the relaxed splash and the
 * automatic engine choice, against exact residual BP.
 */
class RelaxedEnginesTest {
    /** A frustrated Ising grid of the relaxed-BP paper's kind: couplings and fields uniform in [-1, 1]. */
    private static FactorGraph frustrated(int side, long seed) {
        return Generators.isingGrid(side, side, -1, 1, -1, 1, seed);
    }

    @Test
    void pushOnceShowsPriorityInversionsAndRepushingRemovesThem() {
        FactorGraph g = frustrated(40, 3);
        BpOptions o = BpOptions.defaults().withThreads(1);
        BpResult exact = new ResidualBp().run(g, o);
        BpResult once = new RelaxedResidualBp("once", RelaxedResidualBp.QUEUE, Double.POSITIVE_INFINITY).run(g, o);
        BpResult relaxed = new RelaxedResidualBp().run(g, o);
        assertThat(once.counters().get(RelaxedResidualBp.REQUEUES)).isZero();
        assertThat(once.counters().get(RelaxedResidualBp.PRIORITY_INVERSIONS)).isPositive();
        assertThat(relaxed.counters().get(RelaxedResidualBp.REQUEUES)).isPositive();
        // the diagnosis of the extra work: push-once tasks wait with their residual at activation
        assertThat(relaxed.counters().get(RelaxedResidualBp.PRIORITY_INVERSIONS))
                .isLessThan(once.counters().get(RelaxedResidualBp.PRIORITY_INVERSIONS) / 10);
        assertThat(once.updates()).isGreaterThan(exact.updates() * 3 / 2);
        assertThat(relaxed.updates()).isLessThanOrEqualTo(exact.updates() * 13 / 10);
        assertThat(relaxed.counters()).containsKeys(RelaxedResidualBp.STALE_TASKS, RelaxedResidualBp.ROUNDS);
        assertThat(relaxed.engines()).containsExactly("relaxed-residual");
    }

    @Test
    void relaxedSplashAgreesWithExactResidualAtEveryThreadCount() {
        FactorGraph[] gs = {Generators.isingGrid(20, 20, -0.5, 0.5, -0.5, 0.5, 4),
                Generators.pottsGrid(12, 12, 3, -0.5, 0.5, -0.5, 0.5, 6)};
        for (FactorGraph g : gs) {
            BpOptions o = BpOptions.defaults().withEpsilon(1e-8);
            BpResult ref = new ResidualBp().run(g, o);
            for (String name : List.of("relaxed-splash", "smq-splash")) {
                for (int threads : new int[] {1, 2, 4}) {
                    BpResult r = BpEngines.create(name).run(g, o.withThreads(threads));
                    assertThat(r.converged()).as(name).isTrue();
                    assertThat(r.maxResidual()).isLessThanOrEqualTo(1e-8);
                    assertThat(BpEnginesTest.maxDiff(r.marginals(), ref.marginals())).as(name + " t=" + threads)
                            .isLessThan(1e-6);
                    assertThat(r.engines()).containsExactly(name);
                    assertThat(r.counters()).containsKeys(RelaxedResidualBp.STALE_TASKS,
                            RelaxedResidualBp.REQUEUES, RelaxedResidualBp.PRIORITY_INVERSIONS);
                }
            }
        }
    }

    @Test
    void smartSplashDoesLessWorkThanTheSequentialSplash() {
        FactorGraph g = frustrated(30, 5);
        BpOptions o = BpOptions.defaults().withThreads(1);
        BpResult splash = new SplashBp().run(g, o);
        BpResult relaxed = new RelaxedSplashBp().run(g, o);
        assertThat(relaxed.converged()).isTrue();
        assertThat(relaxed.updates()).isLessThan(splash.updates());
    }

    @Test
    void autoFloodsAnEasyModelAndSplashesAFrustratedOne() {
        FactorGraph easy = Generators.isingGrid(20, 20, -0.2, 0.2, -0.2, 0.2, 1);
        BpOptions o = BpOptions.defaults().withEpsilon(1e-8).withThreads(2);
        BpResult e = new AutoBp().run(easy, o);
        assertThat(e.engines()).containsExactly("sync");
        assertThat(e.converged()).isTrue();
        assertThat(BpEnginesTest.maxDiff(e.marginals(), new ResidualBp().run(easy, o).marginals()))
                .isLessThan(1e-6);

        FactorGraph hard = frustrated(40, 3);
        BpResult h = new AutoBp().run(hard, o);
        assertThat(h.engines()).containsExactly("sync", "relaxed-splash");
        assertThat(h.engine()).isEqualTo("auto");
        assertThat(h.converged()).isTrue();
        assertThat(h.maxResidual()).isLessThanOrEqualTo(1e-8);
    }

    @Test
    void autoRespectsTheUpdateBudget() {
        FactorGraph hard = frustrated(30, 3);
        BpResult r = new AutoBp().run(hard, BpOptions.defaults().withMaxUpdates(5000).withThreads(2));
        assertThat(r.converged()).isFalse();
        assertThat(r.updates()).isLessThanOrEqualTo(5000);
    }
}
