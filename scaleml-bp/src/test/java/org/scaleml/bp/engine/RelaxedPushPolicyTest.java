package org.scaleml.bp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.ExactInference;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.Generators;

/** The push policies of the relaxed engine (growth 1, 2 and infinity, i.e. push once) on several queues. */
class RelaxedPushPolicyTest {
    private static final String[] QUEUES = {"mq", RelaxedResidualBp.QUEUE, "smq"};
    private static final double[] GROWTHS = {1.0, 2.0, Double.POSITIVE_INFINITY};

    @Test
    void everyPolicyIsExactOnTrees() {
        for (long seed = 1; seed <= 3; seed++) {
            FactorGraph g = Generators.randomTree(80, 4, 1.5, seed);
            double[][] exact = ExactInference.marginals(g);
            for (String q : QUEUES) {
                for (double growth : GROWTHS) {
                    for (int threads : new int[] {1, 2}) {
                        BpResult r = new RelaxedResidualBp("t", q, growth)
                                .run(g, BpOptions.defaults().withEpsilon(1e-12).withThreads(threads));
                        assertThat(r.converged()).isTrue();
                        assertThat(BpEnginesTest.maxDiff(r.marginals(), exact)).as(q + " growth " + growth)
                                .isLessThan(1e-9);
                    }
                }
            }
        }
    }

    @Test
    void everyPolicyAgreesWithExactResidualOnLoopyGrids() {
        FactorGraph[] gs = {Generators.isingGrid(20, 20, -0.5, 0.5, -0.5, 0.5, 4),
                Generators.pottsGrid(12, 12, 3, -0.5, 0.5, -0.5, 0.5, 6)};
        for (FactorGraph g : gs) {
            BpOptions o = BpOptions.defaults().withEpsilon(1e-7).withThreads(2);
            BpResult ref = new ResidualBp().run(g, o);
            BpResult sync = new SynchronousBp().run(g, o);
            for (String q : QUEUES) {
                for (double growth : GROWTHS) {
                    RelaxedResidualBp.Detailed d = new RelaxedResidualBp("t", q, growth).runDetailed(g, o);
                    assertThat(d.result().converged()).isTrue();
                    assertThat(d.result().maxResidual()).isLessThanOrEqualTo(1e-7);
                    assertThat(BpEnginesTest.maxDiff(d.result().marginals(), ref.marginals()))
                            .as(q + " growth " + growth).isLessThan(1e-5);
                    // less work than synchronous BP; how much less varies with the two threads' interleaving (a
                    // loaded machine measured 0.55x of synchronous where a quiet one gives under 0.5x), so the
                    // tighter figures belong to the benchmarks, not to a bound a busy CI machine can cross. Push-once
                    // (growth = infinity, the policy kept to show priority inversions) does more: a loaded CI run
                    // measured 1.06x of synchronous, so it is held to 2x only.
                    long bound = Double.isInfinite(growth) ? 2 * sync.updates() : sync.updates();
                    assertThat(d.result().updates()).as(q + " growth " + growth).isLessThan(bound);
                }
            }
        }
    }
}
