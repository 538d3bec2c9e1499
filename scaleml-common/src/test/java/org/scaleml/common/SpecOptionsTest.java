package org.scaleml.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class SpecOptionsTest {
    private static final List<String> KNOWN = List.of("multi", "atomic");

    @Test
    void readsNameAndTypedOptionsOnce() {
        SpecOptions o = SpecOptions.parse(" Multi: M=8 , Mode=Fast ", "counter", KNOWN);
        assertThat(o.name()).isEqualTo("multi");
        assertThat(o.spec()).isEqualTo("Multi: M=8 , Mode=Fast");
        assertThat(o.integer("m", 4, 1, 16)).isEqualTo(8);
        assertThat(o.integer("m", 4, 1, 16)).as("read once: then the fallback").isEqualTo(4);
        assertThat(o.choice("mode", "slow", "slow", "fast")).isEqualTo("fast");
        o.noneLeft();
        assertThat(SpecOptions.parse("atomic", "counter", KNOWN).choice("mode", "slow", "slow")).isEqualTo("slow");
    }

    @Test
    void everyFailureNamesTheSpecificationAndWhatIsAccepted() {
        assertThatThrownBy(() -> SpecOptions.parse(" ", "counter", KNOWN))
                .hasMessage("empty counter specification; known: multi, atomic");
        assertThatThrownBy(() -> SpecOptions.parse("adder", "counter", KNOWN))
                .hasMessage("unknown counter 'adder' in 'adder'; known: multi, atomic");
        assertThatThrownBy(() -> SpecOptions.parse("multi:m", "counter", KNOWN))
                .hasMessage("invalid counter specification 'multi:m': expected key=value, got 'm'");
        assertThatThrownBy(() -> SpecOptions.parse("multi:m=1,m=2", "counter", KNOWN))
                .hasMessageContaining("option 'm' given twice");
        assertThatThrownBy(() -> SpecOptions.parse("multi:m=99", "counter", KNOWN).integer("m", 1, 1, 16))
                .hasMessageContaining("m must be an integer from 1 to 16, got '99'");
        assertThatThrownBy(() -> SpecOptions.parse("multi:mode=x", "counter", KNOWN).choice("mode", "a", "a", "b"))
                .hasMessageContaining("mode must be one of a, b, got 'x'");
        assertThatThrownBy(() -> SpecOptions.parse("multi:k=1", "counter", KNOWN).noneLeft())
                .hasMessageContaining("unknown option(s) [k] for 'multi'");
    }
}
