package org.scaleml.concurrent.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApproximateCountersSpecTest {
    @Test
    void parsesNamesOptionsAndDefaults() {
        assertThat(ApproximateCounters.create("atomic", 2).spec()).isEqualTo("atomic");
        assertThat(ApproximateCounters.create(" ADDER ", 2).spec()).isEqualTo("adder");
        assertThat(ApproximateCounters.create("multi", 2).spec()).isEqualTo("multi:m=8");
        assertThat(ApproximateCounters.create("multi", 3).spec()).isEqualTo("multi:m=12");
        assertThat(ApproximateCounters.create("Multi: M=5", 2).spec()).isEqualTo("multi:m=5");
        assertThat(ApproximateCounters.names()).containsExactly("atomic", "adder", "multi");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''              | empty counter specification; known: atomic, adder, multi",
            "ticker          | unknown counter 'ticker' in 'ticker'; known: atomic, adder, multi",
            "multi:m=0       | m must be an integer from 1 to 65536, got '0'",
            "multi:m=lots    | m must be an integer from 1 to 65536, got 'lots'",
            "multi:m         | expected key=value, got 'm'",
            "multi:m=2,m=4   | option 'm' given twice",
            "atomic:m=4      | unknown option(s) [m] for 'atomic'",
    })
    void badSpecificationsSayWhatIsWrong(String spec, String message) {
        assertThatThrownBy(() -> ApproximateCounters.create(spec, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void refusesBadThreadCounts() {
        assertThatThrownBy(() -> ApproximateCounters.create("atomic", 0)).hasMessageContaining("threads");
        assertThatThrownBy(() -> new MultiCounter(0)).hasMessageContaining("1 to 65536 counters");
    }
}
