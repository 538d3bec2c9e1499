package org.scaleml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.scaleml.train.model.Layer;

class GradientExchangeTest {
    static final List<Layer> LAYERS = List.of(new Layer("fc1.weight", 0, 3000), new Layer("fc1.bias", 3000, 10),
            new Layer("fc2.weight", 3010, 2000), new Layer("fc2.bias", 3020 - 10 + 2000, 5));

    static float[] input(int rank, int n) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (rank + 1) * ((i % 7) - 3); // small integers: sums are exact in float
        }
        return g;
    }

    @Test
    void plainExchangeIsTheExactMean() throws InterruptedException {
        int n = 5015;
        List<InProcessJob.RankOutcome<float[]>> outs = InProcessJob.runAll(4, 0, rank -> comm -> {
            GradientExchange ex = new GradientExchange(comm, LAYERS, "none", 1024, Map.of(), 1);
            float[] g = input(rank, n);
            ex.average(g);
            return g;
        });
        for (InProcessJob.RankOutcome<float[]> o : outs) {
            assertThat(o.error()).isNull();
            for (int i = 0; i < n; i++) {
                assertThat(o.value()[i]).isEqualTo((1 + 2 + 3 + 4) * ((i % 7) - 3) / 4f);
            }
        }
    }

    @Test
    void planCompressesLargeLayersAndHonoursOverrides() throws InterruptedException {
        List<InProcessJob.RankOutcome<Map<String, String>>> outs = InProcessJob.runAll(2, 0, rank -> comm ->
                new GradientExchange(comm, LAYERS, "qsgd:bits=4", 1024, Map.of("fc2.*", "none"), 1).plan());
        Map<String, String> plan = outs.get(0).value();
        assertThat(plan.keySet()).containsExactly("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");
        assertThat(plan.get("fc1.weight")).startsWith("qsgd:bits=4");
        assertThat(plan.get("fc1.bias")).isEqualTo("none");
        assertThat(plan.get("fc2.weight")).isEqualTo("none");
        List<InProcessJob.RankOutcome<Object>> bad = InProcessJob.runAll(1, 0, rank -> comm ->
                new GradientExchange(comm, LAYERS, "none", 0, Map.of("conv*", "qsgd"), 1));
        assertThat(bad.get(0).error()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no layer").hasMessageContaining("fc1.weight");
    }

    @Test
    void layersSharingACodecTravelInOneCallUnlessToldOtherwise() throws InterruptedException {
        int n = 5015;
        for (boolean fuse : new boolean[] {true, false}) {
            List<InProcessJob.RankOutcome<Object[]>> outs = InProcessJob.runAll(3, 0, rank -> comm -> {
                GradientExchange ex = new GradientExchange(comm, LAYERS, "maxmin:bits=8", 1024, Map.of(), 1, fuse);
                float[] g = input(rank, n);
                long before = comm.bytesSent();
                ex.average(g);
                return new Object[] {g, ex.callsPerStep(), comm.bytesSent() - before};
            });
            for (InProcessJob.RankOutcome<Object[]> o : outs) {
                assertThat(o.error()).isNull();
                assertThat((float[]) o.value()[0]).isEqualTo((float[]) outs.get(0).value()[0]);
                // fused: one compressed call for fc1.weight + fc2.weight, one plain for the biases
                assertThat((int) o.value()[1]).isEqualTo(fuse ? 2 : 3);
            }
            float[] g = (float[]) outs.get(0).value()[0];
            for (int i = 0; i < n; i++) {
                float exact = (1 + 2 + 3) * ((i % 7) - 3) / 3f;
                assertThat((double) g[i]).isCloseTo(exact, org.assertj.core.api.Assertions.within(0.15));
            }
        }
    }

    @Test
    void compressedExchangeIsIdenticalOnEveryRankAndCloseToTheMean() throws InterruptedException {
        int n = 5015;
        List<InProcessJob.RankOutcome<float[]>> outs = InProcessJob.runAll(3, 0, rank -> comm -> {
            GradientExchange ex = new GradientExchange(comm, LAYERS, "maxmin:bits=8", 1024, Map.of(), 1);
            float[] g = input(rank, n);
            ex.average(g);
            return g;
        });
        for (InProcessJob.RankOutcome<float[]> o : outs) {
            assertThat(o.value()).isEqualTo(outs.get(0).value());
        }
        float[] g = outs.get(0).value();
        for (int i = 0; i < n; i++) {
            float exact = (1 + 2 + 3) * ((i % 7) - 3) / 3f;
            assertThat((double) g[i]).isCloseTo(exact, org.assertj.core.api.Assertions.within(0.15));
        }
        assertThatThrownBy(() -> InProcessJob.firstResult(List.of(new InProcessJob.RankOutcome<Object>(null,
                new IllegalStateException("x"))))).hasMessageContaining("rank 0 of 1 failed: x");
    }
}
