package org.scaleml.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.Generators;

class BpBenchTest {
    private static final BpOptions OPTIONS = BpOptions.defaults().withThreads(2);

    @Test
    void settingsPutTheReferenceFirstAndCanonicalizeNames() {
        assertThat(new BpBench.Settings(List.of("sync", " Splash"), OPTIONS, 0, 1).engines())
                .containsExactly("residual", "sync", "splash");
        assertThat(new BpBench.Settings(List.of("sync", "residual"), OPTIONS, 0, 1).engines())
                .containsExactly("residual", "sync");
        assertThatThrownBy(() -> new BpBench.Settings(List.of("loopy"), OPTIONS, 0, 1))
                .hasMessageContaining("unknown BP engine 'loopy'").hasMessageContaining("relaxed-residual");
        assertThatThrownBy(() -> new BpBench.Settings(List.of("residual", "RESIDUAL"), OPTIONS, 0, 1))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> new BpBench.Settings(List.of("sync"), OPTIONS, 0, 0))
                .hasMessageContaining("repeats");
    }

    @Test
    void runsRoundsReferenceFirstAndComparesMarginals() {
        FactorGraph g = Generators.randomTree(40, 3, 1, 7);
        BpBench.Settings s = new BpBench.Settings(List.of("sync", "splash"), OPTIONS, 1, 2);
        List<String> phases = new ArrayList<>();
        int[] done = {0};
        List<BpBench.Result> results = BpBench.run(g, s, new PqBench.Progress() {
            @Override
            public void phase(String impl, String phase) {
                phases.add(impl + " " + phase);
            }

            @Override
            public void done() {
                done[0]++;
            }
        });
        assertThat(done[0]).isEqualTo(s.steps()).isEqualTo(9);
        assertThat(phases).startsWith("residual warm-up 1/1", "sync warm-up 1/1", "splash warm-up 1/1",
                "residual run 1/2");
        assertThat(results).extracting(BpBench.Result::engine).containsExactly("residual", "sync", "splash");
        for (BpBench.Result r : results) {
            assertThat(r.runsMillis()).hasSize(2);
            assertThat(r.converged()).isTrue();
            assertThat(r.maxMarginalDiff()).isBetween(0.0, 1e-4);
            assertThat(r.threads()).isEqualTo(2);
        }
        assertThat(results.get(0).maxMarginalDiff()).isZero();
        assertThat(results.get(0).speedupVsResidual()).isEqualTo(1.0);
    }

    @Test
    void maxAbsDifferenceIsTheLargestEntryAndKeepsNaN() {
        double[][] a = {{0.5, 0.5}, {0.2, 0.3, 0.5}};
        assertThat(BpBench.maxAbsDifference(a, new double[][] {{0.4, 0.6}, {0.2, 0.1, 0.7}})).isCloseTo(0.2,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(BpBench.maxAbsDifference(a, new double[][] {{Double.NaN, 0.5}, {0.2, 0.3, 0.5}})).isNaN();
        assertThatThrownBy(() -> BpBench.maxAbsDifference(a, new double[][] {{0.5, 0.5}}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
