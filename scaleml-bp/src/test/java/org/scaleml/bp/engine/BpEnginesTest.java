package org.scaleml.bp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.scaleml.bp.BpEngine;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.ExactInference;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.Generators;

class BpEnginesTest {

    static java.util.List<String> engines() {
        return BpEngines.names();
    }

    static double maxDiff(double[][] a, double[][] b) {
        double m = 0;
        for (int v = 0; v < a.length; v++) {
            for (int x = 0; x < a[v].length; x++) {
                m = Math.max(m, Math.abs(a[v][x] - b[v][x]));
            }
        }
        return m;
    }

    @ParameterizedTest
    @MethodSource("engines")
    void exactOnTrees(String name) {
        BpEngine engine = BpEngines.create(name);
        assertThat(engine.name()).isEqualTo(name);
        for (int maxCard : new int[] {2, 3, 5}) {
            for (long seed = 1; seed <= 3; seed++) {
                FactorGraph g = Generators.randomTree(60, maxCard, 1.5, seed * 31 + maxCard);
                double[][] exact = ExactInference.marginals(g);
                for (int threads : new int[] {1, 2}) {
                    BpResult r = engine.run(g, BpOptions.defaults().withEpsilon(1e-12).withThreads(threads));
                    assertThat(r.converged()).as(name + " card " + maxCard + " seed " + seed).isTrue();
                    assertThat(r.maxResidual()).isLessThanOrEqualTo(1e-12);
                    assertThat(maxDiff(r.marginals(), exact)).as(name + " card " + maxCard + " seed " + seed)
                            .isLessThan(1e-9);
                }
            }
        }
    }

    @Test
    void treeWithEvidenceAndHigherArityFactor() {
        // a chain plus one ternary factor over three leaves: still a tree (factor graph acyclic)
        FactorGraph.Builder b = FactorGraph.builder();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int v = 0; v < 6; v++) {
            b.addVariable(2 + v % 3);
        }
        b.addFactor(new int[] {0, 1}, rand(rnd, 2 * 3));
        b.addFactor(new int[] {1, 2}, rand(rnd, 3 * 4));
        b.addFactor(new int[] {2, 3, 4}, rand(rnd, 4 * 2 * 3));
        b.addFactor(new int[] {5, 4}, rand(rnd, 4 * 3));
        b.addFactor(new int[] {0}, rand(rnd, 2));
        FactorGraph g = b.build().withEvidence(new int[] {3}, new int[] {1});
        double[][] exact = ExactInference.marginals(g);
        for (String name : BpEngines.names()) {
            BpResult r = BpEngines.create(name).run(g, BpOptions.defaults().withEpsilon(1e-12).withThreads(2));
            assertThat(r.converged()).as(name).isTrue();
            assertThat(maxDiff(r.marginals(), exact)).as(name).isLessThan(1e-9);
        }
    }

    private static double[] rand(java.util.SplittableRandom rnd, int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 0.1 + rnd.nextDouble();
        }
        return t;
    }

    @Test
    void loopyModelsConvergeAndAgree() {
        FactorGraph[] gs = {
                Generators.isingGrid(4, 4, -0.5, 0.5, -0.5, 0.5, 11),
                Generators.pottsGrid(3, 3, 3, -0.5, 0.5, -0.5, 0.5, 12),
        };
        for (FactorGraph g : gs) {
            double[][] exact = ExactInference.marginals(g);
            Map<String, double[][]> res = new LinkedHashMap<>();
            for (String name : BpEngines.names()) {
                int[] threads = name.contains("relaxed") || name.contains("smq") ? new int[] {1, 2, 4} : new int[] {1};
                for (int t : threads) {
                    BpResult r = BpEngines.create(name).run(g, BpOptions.defaults().withEpsilon(1e-6).withThreads(t));
                    assertThat(r.converged()).as(name + " t=" + t + " on " + g).isTrue();
                    assertThat(r.maxResidual()).isLessThanOrEqualTo(1e-6);
                    res.put(name + "/" + t, r.marginals());
                    double toExact = maxDiff(r.marginals(), exact);
                    System.out.printf("loopy %s %-20s t=%d updates=%d toExact=%.3e%n", g, name, t, r.updates(),
                            toExact);
                    assertThat(toExact).as("loopy BP error; measured 1.1e-3 (Ising 4x4), 3.7e-5 (Potts 3x3)").isLessThan(0.01);
                }
            }
            double[][] ref = res.get("residual/1");
            for (Map.Entry<String, double[][]> e : res.entrySet()) {
                assertThat(maxDiff(e.getValue(), ref)).as(e.getKey() + " vs residual").isLessThan(1e-4);
            }
        }
    }

    @Test
    void residualEnginesNeedFewerUpdatesThanSync() {
        FactorGraph g = Generators.isingGrid(30, 30, -0.5, 0.5, -0.5, 0.5, 5);
        BpOptions o = BpOptions.defaults().withEpsilon(1e-5).withThreads(2);
        Map<String, Long> updates = new LinkedHashMap<>();
        Map<String, double[][]> m = new LinkedHashMap<>();
        for (String name : BpEngines.names()) {
            BpResult r = BpEngines.create(name).run(g, o);
            assertThat(r.converged()).as(name).isTrue();
            updates.put(name, r.updates());
            m.put(name, r.marginals());
        }
        System.out.println("30x30 Ising updates: " + updates);
        long sync = updates.get("sync");
        assertThat(updates.get("residual") * 2).isLessThan(sync);
        assertThat(updates.get("relaxed-residual") * 2).isLessThan(sync);
        assertThat(updates.get("smq-residual") * 2).isLessThan(sync);
        for (String name : BpEngines.names()) {
            assertThat(maxDiff(m.get(name), m.get("residual"))).as(name).isLessThan(1e-3);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void tinyBudgetIsNotConverged(String name) {
        FactorGraph g = Generators.isingGrid(10, 10, -0.5, 0.5, -0.5, 0.5, 3);
        BpResult r = BpEngines.create(name).run(g, BpOptions.defaults().withMaxUpdates(10).withThreads(2));
        assertThat(r.converged()).isFalse();
        assertThat(r.maxResidual()).isGreaterThan(1e-5);
        assertThat(r.updates()).isLessThanOrEqualTo(12);
    }

    @Test
    void factory() {
        assertThat(BpEngines.names()).containsExactly("auto", "sync", "residual", "splash", "relaxed-residual",
                "smq-residual", "relaxed-splash", "smq-splash");
        assertThatThrownBy(() -> BpEngines.create("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("known engines: auto, sync");
        assertThat(RelaxedResidualBp.residualOf(RelaxedResidualBp.priority(0.25))).isEqualTo(0.25);
        assertThat(RelaxedResidualBp.priority(0.5)).isLessThan(RelaxedResidualBp.priority(0.25));
    }
}
