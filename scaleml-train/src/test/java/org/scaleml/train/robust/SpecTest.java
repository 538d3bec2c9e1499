package org.scaleml.train.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecTest {

    @ParameterizedTest(name = "{0} -> {3}")
    @CsvSource(delimiter = ';', value = {
        "mean; 4; 0; mean",
        "MEAN; 4; 3; mean",
        "median; 5; 2; median",
        "trimmed-mean; 5; 0; trimmed-mean:trim=1",
        "trimmed-mean; 9; 3; trimmed-mean:trim=3",
        " trimmed-mean:trim=2 ; 5; 1; trimmed-mean:trim=2",
        "trimmed-mean:trim=0; 2; 0; trimmed-mean:trim=0",
        "krum; 7; 2; krum:m=1",
        "krum:m=5; 7; 2; krum:m=5",
        "clip; 5; 2; clip:iters=1",
        "clip:iters=3,tau=0.5; 5; 1; clip:tau=0.5,iters=3",
        "clip:tau=2; 3; 0; clip:tau=2,iters=1"})
    void canonicalSpecsRoundTrip(String spec, int world, int f, String canonical) {
        Aggregator a = Aggregators.create(spec, world, f);
        assertThat(a.spec()).isEqualTo(canonical);
        assertThat(Aggregators.create(a.spec(), world, f).spec()).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0} with P={1}, f={2}")
    @CsvSource(delimiter = ';', value = {
        "average; 4; 0; unknown aggregator 'average'",
        "ef:krum; 4; 0; unknown aggregator 'ef'",
        "krum:m; 7; 1; expected key=value",
        "krum:m=1,m=2; 7; 1; given twice",
        "krum:k=2; 7; 1; unknown parameter k for krum (known: m)",
        "krum:m=0; 7; 1; m must be in [1, 6]",
        "krum:m=7; 7; 1; m must be in [1, 6]",
        "krum:m=two; 7; 1; m must be an integer",
        "krum; 6; 2; needs at least 7 workers",
        "krum; 2; 0; needs at least 3 workers",
        "median; 4; 2; fewer than half",
        "median:x=1; 4; 1; unknown parameter x for median (it takes none)",
        "mean:trim=1; 4; 1; it takes none",
        "trimmed-mean; 4; 2; needs more than 4 workers",
        "trimmed-mean; 2; 0; trimming 1 from each end needs more than 2 workers, got 2 (use trim <= 0)",
        "trimmed-mean:trim=1; 7; 2; trim=1 cannot tolerate 2 Byzantine workers",
        "trimmed-mean:trim=-1; 7; 0; trim must be in [0, 7]",
        "clip:tau=0; 5; 1; tau must be > 0",
        "clip:tau=-1; 5; 1; tau must be in",
        "clip:tau=abc; 5; 1; tau must be a number",
        "clip:iters=0; 5; 1; iters must be in [1, 100]",
        "clip:tua=1; 5; 1; unknown parameter tua for clip (known: tau, iters)",
        "clip; 4; 2; fewer than half",
        "mean; 4; 4; must be in [0, 4)",
        "mean; 4; -1; must be in [0, 4)",
        "mean; 0; 0; world must be >= 1"})
    void badSpecsGetClearMessages(String spec, int world, int f, String message) {
        assertThatThrownBy(() -> Aggregators.create(spec, world, f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        assertThatThrownBy(() -> Aggregators.create("bulyan:f=1", 9, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("known: mean, median, trimmed-mean, krum, clip");
        assertThatThrownBy(() -> Aggregators.create(" ", 9, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty aggregator spec").hasMessageContaining("krum");
        assertThatThrownBy(() -> Aggregators.create(null, 9, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Attacks.create("lie", 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown attack 'lie'").hasMessageContaining("known: signflip, scaled, noise");
    }

    @Test
    void helpDescribesEveryName() {
        assertThat(Aggregators.help()).hasSize(5);
        for (String name : new String[] {"mean", "median", "trimmed-mean", "krum", "clip"}) {
            assertThat(Aggregators.help()).anyMatch(line -> line.startsWith(name + ":") || line.startsWith(name + "["));
        }
        assertThat(Attacks.help()).hasSize(3);
        for (String name : new String[] {"signflip", "scaled", "noise"}) {
            assertThat(Attacks.help()).anyMatch(line -> line.startsWith(name + "["));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "signflip; signflip:scale=10", "scaled; scaled:scale=10", "noise; noise:scale=1",
        "SignFlip:scale=2.5; signflip:scale=2.5", "noise:scale=0.01; noise:scale=0.01"})
    void attackSpecsAreCanonical(String spec, String canonical) {
        Attack a = Attacks.create(spec, 1, 0);
        assertThat(a.spec()).isEqualTo(canonical);
        assertThat(Attacks.create(a.spec(), 1, 0).spec()).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "signflip:scale=-1; scale must be in [0.0, 1000000.0]",
        "scaled:scale=1e9; scale must be in [0.0, 1000000.0]",
        "noise:scale=NaN; scale must be in",
        "noise:std=1; unknown parameter std for noise (known: scale)",
        "signflip:scale; expected key=value",
        "'  '; empty attack spec"})
    void badAttackSpecsGetClearMessages(String spec, String message) {
        assertThatThrownBy(() -> Attacks.create(spec, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void attackRankMustBeValid() {
        assertThatThrownBy(() -> Attacks.create("noise", 1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rank must be >= 0");
    }
}
