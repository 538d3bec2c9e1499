package org.scaleml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LayerCodecsTest {

    @Test
    void parsesEntriesInTheOrderGiven() {
        Map<String, String> m = LayerCodecs.parse(List.of("fc2*=none", "conv1.w=qsgd:bits=4", "out=ef:topk:ratio=0.1"));
        assertThat(m).containsExactly(Map.entry("fc2*", "none"), Map.entry("conv1.w", "qsgd:bits=4"),
                Map.entry("out", "ef:topk:ratio=0.1"));
        assertThat(LayerCodecs.parse(List.of())).isEmpty();
    }

    @Test
    void theLayerEndsAtTheFirstEqualsSign() {
        assertThat(LayerCodecs.parse(List.of("a=qsgd:bits=4,norm=max"))).containsExactly(
                Map.entry("a", "qsgd:bits=4,norm=max"));
    }

    @Test
    void namesTheFlagAndTheEntryWhenAnEntryIsMalformed() {
        for (String bad : List.of("a", "=qsgd", "a=")) {
            assertThatThrownBy(() -> LayerCodecs.parse(List.of(bad))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--layer-codec must be LAYER=SPEC, got '" + bad + "'");
        }
    }

    @Test
    void namesTheFlagAndTheEntryWhenTheCodecIsInvalid() {
        assertThatThrownBy(() -> LayerCodecs.parse(List.of("a=none", "b=qsgd:bits=99")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--layer-codec b=qsgd:bits=99: ")
                .hasMessageContaining("bits must be in [2, 8], got 99");
    }
}
