package org.scaleml.cli.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GeneratorSpecTest {
    @Test
    void readsKindKeysAndTypedValues() {
        GeneratorSpec s = GeneratorSpec.parse("gen:Grid:Rows=3, cols = 1_000,c=0.5", "graph");
        assertThat(s.kind()).isEqualTo("grid");
        assertThat(s.text()).isEqualTo("gen:Grid:Rows=3, cols = 1_000,c=0.5");
        s.allow("rows", "cols", "c", "seed");
        assertThat(s.intValue("rows")).isEqualTo(3);
        assertThat(s.intValue("cols", 7)).isEqualTo(1000);
        assertThat(s.doubleValue("c", 2)).isEqualTo(0.5);
        assertThat(s.longValue("seed", 9)).isEqualTo(9);
        assertThat(s.intValue("q", 3, 2, 10)).isEqualTo(3);
        assertThat(GeneratorSpec.parse("gen:tree", "model").kind()).isEqualTo("tree");
    }

    @Test
    void errorsStartWithTheSpecificationAndNameTheKey() {
        assertThatThrownBy(() -> GeneratorSpec.parse("grid:rows=3", "graph"))
                .hasMessage("not a generated graph: 'grid:rows=3' (expected gen:...)");
        assertThatThrownBy(() -> GeneratorSpec.parse("gen:grid:rows", "graph"))
                .hasMessage("gen:grid:rows: expected key=value, got 'rows'");
        assertThatThrownBy(() -> GeneratorSpec.parse("gen:grid:rows=1,rows=2", "graph"))
                .hasMessage("gen:grid:rows=1,rows=2: key 'rows' given twice");
        GeneratorSpec s = GeneratorSpec.parse("gen:grid:rows=x,cols=4,size=2,big=9999999999,q=1", "graph");
        assertThatThrownBy(() -> s.allow("rows", "cols", "q", "big"))
                .hasMessageEndingWith(": unknown key 'size' (known: big, cols, q, rows)");
        assertThatThrownBy(() -> s.intValue("rows")).hasMessageEndingWith(": rows must be an integer, got 'x'");
        assertThatThrownBy(() -> s.intValue("seed")).hasMessageEndingWith(": missing seed=...");
        assertThatThrownBy(() -> s.intValue("big", 1)).hasMessageEndingWith(": big is too large: 9999999999");
        assertThatThrownBy(() -> s.intValue("q", 3, 2, 10)).hasMessageEndingWith(": q must be in [2, 10], got 1");
        assertThatThrownBy(() -> s.requiredInt("cols", 5, 10)).hasMessageEndingWith(": cols must be in [5, 10], got 4");
        assertThatThrownBy(() -> s.doubleValue("rows", 1)).hasMessageEndingWith(": rows must be a number, got 'x'");
        assertThatThrownBy(() -> { throw s.unknownKind("graph", "a", "b"); })
                .hasMessage("gen:grid:rows=x,cols=4,size=2,big=9999999999,q=1: unknown generated graph kind 'grid' "
                        + "(known: a, b)");
    }

    @Test
    void generateWrapsTheGeneratorsOwnErrors() {
        int eight = GeneratorSpec.generate("gen:k:n=4", "thing", s -> s.intValue("n") * 2);
        assertThat(eight).isEqualTo(8);
        assertThatThrownBy(() -> GeneratorSpec.generate("gen:k:n=4", "thing", s -> {
            throw new IllegalStateException("too many");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("gen:k:n=4: too many");
        assertThatThrownBy(() -> GeneratorSpec.generate("gen:k:n=4", "thing", s -> {
            throw new IllegalArgumentException("n must be odd");
        })).hasMessage("gen:k:n=4: n must be odd");
        assertThatThrownBy(() -> GeneratorSpec.generate("gen:k:n=x", "thing", s -> s.intValue("n")))
                .hasMessage("gen:k:n=x: n must be an integer, got 'x'"); // not prefixed twice
    }
}
