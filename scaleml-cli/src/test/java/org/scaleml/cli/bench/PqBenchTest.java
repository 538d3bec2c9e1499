package org.scaleml.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PqBenchTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(PqBench.median(new double[]{3, 1, 2})).isEqualTo(2.0);
        assertThat(PqBench.median(new double[]{4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(PqBench.median(new double[]{7})).isEqualTo(7.0);
        assertThat(PqBench.median(new double[0])).isNaN();
    }

    @Test
    void settingsRejectOutOfRangeValues() {
        assertThatThrownBy(() -> new PqBench.Settings(0, 1, 1, 0, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
        assertThatThrownBy(() -> new PqBench.Settings(1, 0, 1, 0, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seconds");
        assertThatThrownBy(() -> new PqBench.Settings(1, Double.NaN, 1, 0, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seconds");
        assertThatThrownBy(() -> new PqBench.Settings(1, 1, 0, 0, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeats");
        assertThatThrownBy(() -> new PqBench.Settings(1, 1, 1, -1, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefill");
    }

    @Test
    void runMeasuresEveryRepeatAndTheQualityPhase() throws InterruptedException {
        PqBench.Settings s = new PqBench.Settings(2, 0.05, 3, 500, 7, 200, 2000);
        List<String> events = new ArrayList<>();
        PqBench.Result r = PqBench.run("heap", s, new PqBench.Progress() {
            @Override
            public void phase(String impl, String phase) {
                events.add(impl + " " + phase);
            }

            @Override
            public void done() {
                events.add("done");
            }
        });
        assertThat(events).containsExactly("heap run 1/3", "done", "heap run 2/3", "done", "heap run 3/3", "done",
                "heap quality warm-up", "done", "heap quality 1/3", "done", "heap quality 2/3", "done",
                "heap quality 3/3", "done");
        assertThat(PqBench.steps(s)).isEqualTo(7);
        assertThat(r.rankErrorMeanRuns()).hasSize(3);
        double[] sorted = r.rankErrorMeanRuns();
        java.util.Arrays.sort(sorted);
        assertThat(r.quality().rankErrorMean()).isEqualTo(sorted[1]);
        assertThat(r.opsPerSecRuns()).hasSize(3);
        assertThat(java.util.Arrays.stream(r.opsPerSecRuns()).min().orElse(0)).isPositive();
        assertThat(r.opsPerSec()).isEqualTo(PqBench.median(r.opsPerSecRuns()));
        assertThat(r.relaxed()).isFalse();
        assertThat(r.quality().deletes()).isEqualTo(1000);
    }

    @Test
    void qualityPhaseCanBeSkipped() throws InterruptedException {
        PqBench.Settings s = new PqBench.Settings(1, 0.02, 1, 0, 7, 0, 0);
        PqBench.Result r = PqBench.run("pbq", s, PqBench.Progress.NONE);
        assertThat(PqBench.steps(s)).isEqualTo(1);
        assertThat(r.quality().deletes()).isZero();
        assertThat(r.opsPerSec()).isPositive();
    }

    @Test
    void badSpecificationIsAnIllegalArgument() {
        PqBench.Settings s = new PqBench.Settings(1, 0.02, 1, 0, 7, 0, 0);
        assertThatThrownBy(() -> PqBench.run("nosuch", s, PqBench.Progress.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nosuch");
    }
}
