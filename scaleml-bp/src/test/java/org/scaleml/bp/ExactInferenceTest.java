package org.scaleml.bp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExactInferenceTest {

    static double maxDiff(double[][] a, double[][] b) {
        double m = 0;
        for (int v = 0; v < a.length; v++) {
            for (int x = 0; x < a[v].length; x++) {
                m = Math.max(m, Math.abs(a[v][x] - b[v][x]));
            }
        }
        return m;
    }

    @Test
    void eliminationEqualsEnumerationOnTreesAndGrids() {
        FactorGraph[] gs = {
                Generators.randomTree(9, 3, 1.0, 1),
                Generators.isingGrid(3, 4, -0.8, 0.8, -0.5, 0.5, 2),
                Generators.pottsGrid(2, 3, 3, -1, 1, -0.5, 0.5, 3),
                Generators.isingGrid(3, 3, 0.5, 1.0, -0.2, 0.2, 4).withEvidence(new int[] {4}, new int[] {1}),
        };
        for (FactorGraph g : gs) {
            double[][] ve = ExactInference.marginals(g);
            double[][] en = ExactInference.byEnumeration(g, 1 << 20);
            assertThat(maxDiff(ve, en)).as(g.toString()).isLessThan(1e-12);
            for (double[] m : ve) {
                assertThat(java.util.Arrays.stream(m).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    @Test
    void singleVariableAndEvidence() {
        FactorGraph.Builder b = FactorGraph.builder();
        b.addVariable(3);
        b.addFactor(new int[] {0}, new double[] {1, 2, 1});
        double[][] m = ExactInference.marginals(b.build());
        assertThat(m[0]).containsExactly(0.25, 0.5, 0.25);
        FactorGraph e = Generators.isingGrid(2, 2, 0.3, 0.3, 0, 0, 1).withEvidence(new int[] {0}, new int[] {1});
        assertThat(ExactInference.marginals(e)[0]).containsExactly(0.0, 1.0);
    }

    @Test
    void refusesLargeTreewidthAndZeroMass() {
        FactorGraph g = Generators.isingGrid(12, 12, -0.5, 0.5, -0.5, 0.5, 1);
        assertThatThrownBy(() -> ExactInference.marginals(g, 1 << 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit of 1024");
        assertThatThrownBy(() -> ExactInference.byEnumeration(g, 1 << 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refused");
        FactorGraph.Builder b = FactorGraph.builder();
        b.addVariable(2);
        b.addFactor(new int[] {0}, new double[] {1, 0});
        b.addFactor(new int[] {0}, new double[] {0, 1}); // each table is fine, their product is 0
        FactorGraph z = b.build();
        assertThatThrownBy(() -> ExactInference.marginals(z)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mass is 0");
    }

    @Test
    void largeTreeIsCheap() {
        FactorGraph g = Generators.randomTree(300, 4, 1.0, 5);
        double[][] m = ExactInference.marginals(g);
        assertThat(m.length).isEqualTo(300);
    }
}
