package org.scaleml.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DecimalsTest {

    @Test
    void roundsHalfUpToTheDigitsAsked() {
        assertThat(Decimals.round(0.1234564, 6)).isEqualTo(0.123456);
        assertThat(Decimals.round(0.1234565, 6)).isEqualTo(0.123457);
        assertThat(Decimals.round(12.3456, 3)).isEqualTo(12.346);
        assertThat(Decimals.round(-1.0005, 3)).isEqualTo(-1.0);
        assertThat(Decimals.round(7.0, 3)).isEqualTo(7.0);
        assertThat(Decimals.round(2.5, 0)).isEqualTo(3.0);
    }

    @Test
    void leavesValuesThatAreNotFiniteAsTheyAre() {
        assertThat(Decimals.round(Double.NaN, 6)).isNaN();
        assertThat(Decimals.round(Double.POSITIVE_INFINITY, 3)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Decimals.round(Double.NEGATIVE_INFINITY, 3)).isEqualTo(Double.NEGATIVE_INFINITY);
    }
}
