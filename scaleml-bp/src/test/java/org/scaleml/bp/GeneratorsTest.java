package org.scaleml.bp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GeneratorsTest {

    static void assertSame(FactorGraph a, FactorGraph b) {
        assertThat(a.variables()).isEqualTo(b.variables());
        assertThat(a.factors()).isEqualTo(b.factors());
        for (int f = 0; f < a.factors(); f++) {
            assertThat(a.scope(f)).containsExactly(b.scope(f));
            assertThat(a.table(f)).containsExactly(b.table(f));
        }
    }

    @Test
    void deterministicPerSeed() {
        assertSame(Generators.isingGrid(5, 7, -1, 1, -1, 1, 9), Generators.isingGrid(5, 7, -1, 1, -1, 1, 9));
        assertSame(Generators.pottsGrid(4, 3, 4, -1, 1, -1, 1, 9), Generators.pottsGrid(4, 3, 4, -1, 1, -1, 1, 9));
        assertSame(Generators.randomTree(50, 5, 2, 9), Generators.randomTree(50, 5, 2, 9));
        assertThat(Generators.isingGrid(3, 3, -1, 1, -1, 1, 1).table(0))
                .isNotEqualTo(Generators.isingGrid(3, 3, -1, 1, -1, 1, 2).table(0));
    }

    @Test
    void shapes() {
        FactorGraph ising = Generators.isingGrid(4, 5, 0.25, 0.25, 0.5, 0.5, 1);
        assertThat(ising.variables()).isEqualTo(20);
        assertThat(ising.factors()).isEqualTo(20 + 4 * 4 + 3 * 5);
        assertThat(ising.table(0)).containsExactly(Math.exp(-0.5), Math.exp(0.5));
        assertThat(ising.scope(20)).containsExactly(0, 1);
        assertThat(ising.table(20)).containsExactly(Math.exp(0.25), Math.exp(-0.25), Math.exp(-0.25), Math.exp(0.25));
        FactorGraph potts = Generators.pottsGrid(3, 3, 3, 1, 1, 0, 0, 1);
        assertThat(potts.cardinality(0)).isEqualTo(3);
        double[] t = potts.table(9);
        assertThat(t[0]).isEqualTo(Math.exp(1));
        assertThat(t[1]).isEqualTo(1.0);
        FactorGraph tree = Generators.randomTree(40, 4, 1, 3);
        assertThat(tree.factors()).isEqualTo(40 + 39);
        for (int v = 0; v < 40; v++) {
            assertThat(tree.cardinality(v)).isBetween(2, 4);
        }
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> Generators.isingGrid(0, 3, 0, 1, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Generators.isingGrid(3, 3, 1, 0, 0, 1, 1)).hasMessageContaining("J range");
        assertThatThrownBy(() -> Generators.pottsGrid(3, 3, 1, 0, 1, 0, 1, 1)).hasMessageContaining("q >= 2");
        assertThatThrownBy(() -> Generators.randomTree(0, 3, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Generators.randomTree(3, 1, 1, 1)).hasMessageContaining("maxCard");
    }
}
