package org.scaleml.bp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.scaleml.bp.engine.BpEngines;

/** Evidence or tables that give every assignment probability zero are errors, never converged marginals. */
class ZeroProbabilityTest {

    static java.util.List<String> engines() {
        return BpEngines.names();
    }

    private static FactorGraph.Builder binaries(int n) {
        FactorGraph.Builder b = FactorGraph.builder();
        for (int i = 0; i < n; i++) {
            b.addVariable(2);
        }
        return b;
    }

    @Test
    void evidenceAUnaryFactorForbidsIsRefusedNamingVariableAndFactor() {
        FactorGraph.Builder b = binaries(2);
        b.addFactor(new int[] {0}, new double[] {1, 0});
        b.addFactor(new int[] {0, 1}, new double[] {1, 2, 3, 4});
        FactorGraph g = b.build();
        assertThatThrownBy(() -> g.withEvidence(new int[] {0}, new int[] {1}))
                .isInstanceOf(ZeroProbabilityException.class)
                .hasMessage("the evidence has probability zero: variable 0 is observed as 1, but factor 0 (scope [0])"
                        + " is 0 for every assignment with that value")
                .satisfies(e -> {
                    assertThat(((ZeroProbabilityException) e).variable()).isZero();
                    assertThat(((ZeroProbabilityException) e).factor()).isZero();
                });
        assertThat(g.withEvidence(new int[] {0}, new int[] {0}).factors()).isEqualTo(3); // the possible value is fine
    }

    @Test
    void contradictionThroughOtherFactorsIsFound() {
        // v0 == v1 == v2 (equality factors), v2 must be 0; observing v0 = 1 is impossible, two factors away.
        FactorGraph.Builder b = binaries(3);
        b.addFactor(new int[] {0, 1}, new double[] {1, 0, 0, 1});
        b.addFactor(new int[] {1, 2}, new double[] {1, 0, 0, 1});
        b.addFactor(new int[] {2}, new double[] {5, 0});
        FactorGraph g = b.build();
        assertThatThrownBy(() -> g.withEvidence(new int[] {0}, new int[] {1}))
                .isInstanceOf(ZeroProbabilityException.class)
                .hasMessageStartingWith("the evidence has probability zero: ")
                .hasMessageContaining("factor ")
                .hasMessageContaining("variable ");
        // Observing v2 = 1 contradicts factor 2 directly; v0 = 0 is consistent and gives exact hard marginals.
        assertThatThrownBy(() -> g.withEvidence(new int[] {2}, new int[] {1}))
                .hasMessageContaining("variable 2 is observed as 1, but factor 2 (scope [2])");
        FactorGraph ok = g.withEvidence(new int[] {0}, new int[] {0});
        for (String engine : engines()) {
            BpResult r = BpEngines.create(engine).run(ok, BpOptions.defaults());
            assertThat(r.converged()).as(engine).isTrue();
            assertThat(r.marginals()[2][0]).as(engine).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void allZeroTableIsRefusedNamingTheFactor() {
        FactorGraph.Builder b = binaries(2);
        b.addFactor(new int[] {0}, new double[] {1, 1});
        assertThatThrownBy(() -> b.addFactor(new int[] {0, 1}, new double[] {0, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("factor 1: every entry of its table is 0");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void engineReportsAMessageThatIsZeroEverywhere(String engine) {
        // Built without withEvidence, so only the engine can notice: v0 gets [1, 0] and [0, 1] from two unary
        // factors, so its message into factor 2 is 0 at both values, and so is factor 2's message to v1.
        FactorGraph.Builder b = binaries(2);
        b.addFactor(new int[] {0}, new double[] {1, 0});
        b.addFactor(new int[] {0}, new double[] {0, 1});
        b.addFactor(new int[] {0, 1}, new double[] {1, 2, 3, 4});
        FactorGraph g = b.build();
        assertThatThrownBy(() -> BpEngines.create(engine).run(g, BpOptions.defaults().withThreads(2)))
                .isInstanceOf(ZeroProbabilityException.class)
                .hasMessageStartingWith("belief propagation found no assignment of positive probability: ")
                .hasMessageContaining("variable ")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void engineReportsBeliefsThatAreZeroTogether(String engine) {
        // Each message is fine on its own; their product at v0 is 0 at both values.
        FactorGraph.Builder b = binaries(1);
        b.addFactor(new int[] {0}, new double[] {1, 0});
        b.addFactor(new int[] {0}, new double[] {0, 1});
        FactorGraph g = b.build();
        assertThatThrownBy(() -> BpEngines.create(engine).run(g, BpOptions.defaults()))
                .isInstanceOf(ZeroProbabilityException.class)
                .hasMessageContaining("variable 0");
        // withEvidence finds it too, before any run (nothing observed, the model alone is contradictory).
        assertThatThrownBy(() -> g.withEvidence(new int[0], new int[0]))
                .isInstanceOf(ZeroProbabilityException.class)
                .hasMessageContaining("variable 0");
    }
}
