package org.scaleml.concurrent.pq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Textual specifications of {@code obim}: bad parameters are rejected with a message naming the key and value. */
class ObimSpecTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "obim:delta=-1|delta|-1",
            "obim:delta=63|delta|63",
            "obim:delta=64|delta|64",
            "obim:delta=x|delta|x",
            "obim:chunk=0|chunk|0",
            "obim:chunk=-5|chunk|-5",
            "obim:chunk=1.5|chunk|1.5",
            "obim:d=4|d|d",
            "obim:c=2|c|c"})
    void badParameterIsRejectedNamingKeyAndValue(String spec, String key, String value) {
        assertThatThrownBy(() -> PriorityQueues.create(spec, 2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("'" + spec + "'").containsPattern(
                        "(^|[^a-z])" + key + "([^a-z]|$)").contains(value));
    }

    @Test
    void directFactoryValidatesToo() {
        assertThatThrownBy(() -> PriorityQueues.obim(-1, 64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delta").hasMessageContaining("-1");
        assertThatThrownBy(() -> PriorityQueues.obim(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunk").hasMessageContaining("0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"obim", "OBIM", "obim:delta=0", "obim:delta=62", "obim:chunk=1", " obim : delta = 3 , chunk = 7 "})
    void validSpecificationBuildsARelaxedObim(String spec) {
        ConcurrentPriorityQueue q = PriorityQueues.create(spec, 3, 1);
        assertThat(q.isRelaxed()).isTrue();
        assertThat(q.name()).startsWith("obim");
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            h.insert(Long.MAX_VALUE, 2);
            h.insert(Long.MIN_VALUE, 1);
            assertThat(h.tryDeleteMin()).isTrue();
            assertThat(h.tryDeleteMin()).isTrue();
            assertThat(h.tryDeleteMin()).isFalse();
        }
    }

    @Test
    void obimIsAmongTheNames() {
        assertThat(PriorityQueues.names()).contains("obim");
    }
}
