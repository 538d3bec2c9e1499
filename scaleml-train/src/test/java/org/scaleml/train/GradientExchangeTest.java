package org.scaleml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.scaleml.comm.codec.Codecs;
import org.scaleml.comm.transport.Communicator;
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

    // ---- layer-wise adaptive compression ----

    /** A heavy-tailed layer (Cauchy), a uniform one, and two small biases. */
    static final List<Layer> MIXED = List.of(new Layer("fc1.weight", 0, 4096), new Layer("fc1.bias", 4096, 10),
            new Layer("fc2.weight", 4106, 2048), new Layer("fc2.bias", 6154, 5));
    static final int MIXED_N = 6159;

    /** Rank {@code rank}'s gradient at step {@code step}: a shared signal of the layer's kind plus rank noise. */
    static float[] mixed(int rank, int step) {
        Random shared = new Random(1000 + step);
        Random own = new Random(31L * step + rank);
        float[] g = new float[MIXED_N];
        for (int i = 0; i < MIXED_N; i++) {
            double x;
            if (i < 4096) {
                x = 0.5 * Math.max(-1e4, Math.min(1e4, Math.tan(Math.PI * (shared.nextDouble() - 0.5))));
            } else {
                x = 2 * shared.nextDouble() - 1;
            }
            g[i] = (float) (x + 0.05 * own.nextGaussian());
        }
        return g;
    }

    static int bitsOf(String codec) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("qsgd:bits=(\\d+),").matcher(codec);
        assertThat(m.find()).as(codec).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void adaptivePlanGivesTheHeavyTailedLayerMoreBitsIdenticallyOnEveryRank() throws InterruptedException {
        int world = 3;
        int steps = 10;
        List<InProcessJob.RankOutcome<Object[]>> outs = InProcessJob.runAll(world, 0, rank -> comm -> {
            GradientExchange ex = new GradientExchange(comm, MIXED, "adaptive:bits=4,warmup=6", 1024, Map.of(), 1);
            GradientExchange uni = new GradientExchange(comm, MIXED, "qsgd:bits=4,norm=max", 1024, Map.of(), 1);
            String before = ex.describe();
            List<float[]> avgs = new ArrayList<>();
            List<float[]> uniAvgs = new ArrayList<>();
            long[] versions = new long[steps];
            long[] bytes = new long[steps];
            long[] uniBytes = new long[steps];
            for (int t = 0; t < steps; t++) {
                float[] g = mixed(rank, t);
                float[] h = g.clone();
                long b0 = comm.bytesSent();
                ex.average(g);
                long b1 = comm.bytesSent();
                uni.average(h);
                bytes[t] = b1 - b0;
                uniBytes[t] = comm.bytesSent() - b1;
                versions[t] = ex.planVersion();
                avgs.add(g);
                uniAvgs.add(h);
            }
            return new Object[] {before, ex.describe(), ex.plan(), ex.initialDescribe(), avgs, versions, bytes,
                    uniBytes, ex.callsPerStep(), uni.describe(), uniAvgs};
        });
        for (InProcessJob.RankOutcome<Object[]> o : outs) {
            assertThat(o.error()).isNull();
        }
        Object[] r0 = outs.get(0).value();
        String before = (String) r0[0];
        assertThat(before).isEqualTo("fc1.weight=qsgd:bits=4,bucket=512,norm=max fc1.bias=none "
                + "fc2.weight=qsgd:bits=4,bucket=512,norm=max fc2.bias=none");
        assertThat(before).isEqualTo((String) r0[9]); // warm-up: exactly the uniform exchange's plan
        assertThat((String) r0[3]).isEqualTo(before); // the initial plan stays what it was
        assertThat((long[]) r0[5]).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
        @SuppressWarnings("unchecked")
        Map<String, String> plan = (Map<String, String>) r0[2];
        int b1 = bitsOf(plan.get("fc1.weight"));
        int b2 = bitsOf(plan.get("fc2.weight"));
        assertThat(b1).isGreaterThan(4).isGreaterThan(b2);
        assertThat(4096L * b1 + 2048L * b2).isLessThanOrEqualTo(4L * (4096 + 2048));
        assertThat(plan.get("fc1.bias")).isEqualTo("none");
        assertThat((String) r0[1]).contains("fc1.weight=qsgd:bits=" + b1 + ",bucket=512,norm=max");
        assertThat((int) r0[8]).isEqualTo(3); // two widths, two compressed calls, and the biases
        for (InProcessJob.RankOutcome<Object[]> o : outs) {
            Object[] v = o.value();
            assertThat((String) v[1]).isEqualTo((String) r0[1]);
            @SuppressWarnings("unchecked")
            List<float[]> mine = (List<float[]>) v[4];
            @SuppressWarnings("unchecked")
            List<float[]> first = (List<float[]>) r0[4];
            for (int t = 0; t < steps; t++) {
                assertThat(mine.get(t)).as("step %d", t).isEqualTo(first.get(t));
            }
            long[] bytes = (long[]) v[6];
            long[] uni = (long[]) v[7];
            assertThat(bytes[0]).isEqualTo(uni[0]); // warm-up, not measured: exactly the uniform exchange
            for (int t = 1; t < 6; t++) { // measured: plus the error table (2 layers x 7 widths x 4 bytes)
                assertThat(bytes[t]).isBetween(uni[t] + 56, uni[t] + 3 * 56);
            }
            // after the plan: no more than the uniform 4-bit exchange, but for the headers of one more group
            // (per chunk payload: 10 bytes of wire header, a bucket scale and a partial byte; 2 (P - 1) payloads)
            for (int t = 6; t < steps; t++) {
                assertThat(bytes[t]).as("step %d", t).isLessThanOrEqualTo(uni[t] + 2L * (world - 1) * 16);
            }
        }
        // and the plan pays off: after it, the adaptive averages are closer to the exact mean than the uniform
        // 4-bit exchange's, for (about) the same bytes
        @SuppressWarnings("unchecked")
        List<float[]> avgs = (List<float[]>) r0[4];
        @SuppressWarnings("unchecked")
        List<float[]> uniAvgs = (List<float[]>) r0[10];
        double errAdaptive = 0;
        double errUniform = 0;
        for (int t = 6; t < steps; t++) {
            float[][] in = new float[world][];
            for (int r = 0; r < world; r++) {
                in[r] = mixed(r, t);
            }
            for (int i = 0; i < MIXED_N; i++) {
                double exact = 0;
                for (int r = 0; r < world; r++) {
                    exact += in[r][i];
                }
                exact /= world;
                errAdaptive += (avgs.get(t)[i] - exact) * (avgs.get(t)[i] - exact);
                errUniform += (uniAvgs.get(t)[i] - exact) * (uniAvgs.get(t)[i] - exact);
            }
        }
        assertThat(errAdaptive).isLessThan(0.8 * errUniform);
    }

    /** One step of two exchanges on the same input; returns both averages. */
    static float[][] both(GradientExchange a, GradientExchange b, int rank, int step) {
        float[] g = mixed(rank, step);
        float[] h = g.clone();
        a.average(g);
        b.average(h);
        return new float[][] {g, h};
    }

    @Test
    void planStateRestoresThePlanAndTheAveragesBitForBit() throws InterruptedException {
        String codec = "adaptive:bits=3.5,min=2,max=6,warmup=4,every=5";
        List<InProcessJob.RankOutcome<String>> outs = InProcessJob.runAll(2, 0, rank -> comm -> {
            GradientExchange a = new GradientExchange(comm, MIXED, codec, 1024, Map.of(), 7);
            assertThat(a.planState()).isEmpty();
            int step = 0;
            for (; step < 2; step++) {
                a.average(mixed(rank, step));
            }
            // mid warm-up, inside the measurement window: the partial error sums travel in the state
            a.restart(11);
            String mid = a.planState();
            assertThat(mid).contains("calls=2;version=0;").contains(";err=");
            GradientExchange b = new GradientExchange(comm, MIXED, codec, 1024, Map.of(), 7);
            b.restorePlanState(mid);
            b.restart(11);
            assertThat(b.planState()).isEqualTo(mid);
            for (; step < 12; step++) { // plans at calls 4 and 9
                float[][] r = both(a, b, rank, step);
                assertThat(r[1]).as("step %d", step).isEqualTo(r[0]);
                assertThat(b.describe()).isEqualTo(a.describe());
                assertThat(b.planState()).isEqualTo(a.planState());
            }
            assertThat(a.planVersion()).isEqualTo(2);
            assertThat(b.planVersion()).isEqualTo(2);
            assertThat(a.describe()).isNotEqualTo(a.initialDescribe());
            assertThat(b.initialDescribe()).isEqualTo(a.initialDescribe());

            // after re-planning: a third exchange restored from the state continues bitwise like the first
            a.restart(12);
            String late = a.planState();
            GradientExchange c = new GradientExchange(comm, MIXED, codec, 1024, Map.of(), 7);
            c.restorePlanState(late);
            c.restart(12);
            assertThat(c.describe()).isEqualTo(a.describe());
            assertThat(c.planVersion()).isEqualTo(2);
            assertThat(c.planState()).isEqualTo(late);
            assertThat(c.callsPerStep()).isEqualTo(a.callsPerStep());
            for (; step < 16; step++) { // through the window of the plan at call 14
                float[][] r = both(a, c, rank, step);
                assertThat(r[1]).as("step %d", step).isEqualTo(r[0]);
            }
            assertThat(c.planVersion()).isEqualTo(3);
            assertThat(c.planState()).isEqualTo(a.planState());
            // an empty state is the state at construction
            c.restorePlanState("");
            assertThat(c.describe()).isEqualTo(c.initialDescribe());
            assertThat(c.planVersion()).isZero();
            assertThat(c.planState()).isEmpty();
            return late;
        });
        for (InProcessJob.RankOutcome<String> o : outs) {
            assertThat(o.error()).isNull();
        }
        assertThat(outs.get(1).value()).isEqualTo(outs.get(0).value()); // the same state on every rank
    }

    @Test
    void restorePlanStateRejectsMalformedAndForeignStates() throws InterruptedException {
        List<InProcessJob.RankOutcome<Object>> outs = InProcessJob.runAll(1, 0, rank -> comm -> {
            String codec = "adaptive:bits=4,warmup=3";
            GradientExchange a = new GradientExchange(comm, MIXED, codec, 1024, Map.of(), 1);
            for (int t = 0; t < 4; t++) {
                a.average(mixed(0, t));
            }
            String state = a.planState();
            assertThat(state).startsWith("adaptive-plan-v1;spec=adaptive:bits=4,min=2,max=8,warmup=3,")
                    .contains(";calls=4;version=1;bits=").doesNotContain(";err=").doesNotContain(" ");
            GradientExchange fresh = new GradientExchange(comm, MIXED, codec, 1024, Map.of(), 1);
            String bits = state.substring(state.indexOf(";bits=") + 6);
            for (String bad : new String[] {"garbage", state.replace("calls=4", "calls=x"),
                    state.replace("calls=4", "calls=2"), state.replace(";bits=" + bits, ";bits=8,8"),
                    state.replace(";bits=" + bits, ";bits=" + bits + ",4"), state + ";extra=1",
                    state.replace("adaptive-plan-v1", "adaptive-plan-v9"), state + ";err=zz",
                    state + ";err=" + "0,".repeat(13) + "0", state.replace("calls=4;version=1", "calls=4;version=2"),
                    state.replace("calls=4;version=1", "calls=4;version=0")}) {
                assertThatThrownBy(() -> fresh.restorePlanState(bad)).as(bad)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed adaptive plan");
            }
            assertThatThrownBy(() -> new GradientExchange(comm, MIXED, "adaptive:bits=3,warmup=3", 1024, Map.of(), 1)
                    .restorePlanState(state)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another codec").hasMessageContaining("adaptive:bits=3,");
            assertThatThrownBy(() -> new GradientExchange(comm, LAYERS, codec, 1024, Map.of(), 1)
                    .restorePlanState(state)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("other layers");
            assertThatThrownBy(() -> new GradientExchange(comm, MIXED, "qsgd:bits=4,norm=max", 1024, Map.of(), 1)
                    .restorePlanState(state)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not adaptive");
            // nothing was changed by the rejected states
            assertThat(fresh.planVersion()).isZero();
            assertThat(fresh.describe()).isEqualTo(fresh.initialDescribe());
            return null;
        });
        assertThat(outs.get(0).error()).isNull();
    }

    @Test
    void overridesWinOverTheAdaptivePlanAndStayOutsideTheBudget() throws InterruptedException {
        List<InProcessJob.RankOutcome<Object[]>> outs = InProcessJob.runAll(2, 0, rank -> comm -> {
            GradientExchange ex = new GradientExchange(comm, MIXED, "adaptive:bits=3,warmup=2", 1024,
                    Map.of("fc1.weight", "qsgd:bits=8"), 1);
            for (int t = 0; t < 3; t++) {
                ex.average(mixed(rank, t));
            }
            return new Object[] {ex.plan(), ex.planVersion()};
        });
        assertThat(outs.get(0).error()).isNull();
        @SuppressWarnings("unchecked")
        Map<String, String> plan = (Map<String, String>) outs.get(0).value()[0];
        assertThat(plan.get("fc1.weight")).isEqualTo("qsgd:bits=8,bucket=512,norm=l2");
        // the only planned layer has the whole budget: 3 bits
        assertThat(plan.get("fc2.weight")).isEqualTo("qsgd:bits=3,bucket=512,norm=max");
        assertThat(plan.get("fc1.bias")).isEqualTo("none");
        assertThat((long) outs.get(0).value()[1]).isEqualTo(1);
        List<InProcessJob.RankOutcome<Object>> bad = InProcessJob.runAll(1, 0, rank -> comm ->
                new GradientExchange(comm, MIXED, "qsgd:bits=4", 1024, Map.of("fc1.*", "adaptive:bits=3"), 1));
        assertThat(bad.get(0).error()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fc1.*=adaptive:bits=3").hasMessageContaining("cannot be a per-layer override");
    }

    @Test
    void aGroupTheNewPlanLeavesUnchangedKeepsItsStreamsAndResiduals() throws InterruptedException {
        // fc1.weight heavy-tailed, fc2.weight uniform (both planned), fc3.weight heavy-tailed with error feedback
        List<Layer> layers = List.of(new Layer("fc1.weight", 0, 2048), new Layer("fc3.weight", 2048, 2048),
                new Layer("fc1.bias", 4096, 10), new Layer("fc2.weight", 4106, 2048), new Layer("fc2.bias", 6154, 5));
        Map<String, String> ov = Map.of("fc3.weight", "ef:topk:ratio=0.1");
        List<InProcessJob.RankOutcome<Object[]>> outs = InProcessJob.runAll(2, 0, rank -> comm -> {
            GradientExchange ex = new GradientExchange(comm, layers, "adaptive:bits=4,warmup=3", 1024, ov, 5);
            // the same groups as the adaptive one's warm-up (so the same seeds), never re-planned
            GradientExchange ref = new GradientExchange(comm, layers, "qsgd:bits=4,norm=max", 1024, ov, 5);
            for (int t = 0; t < 6; t++) {
                float[][] r = both(ex, ref, rank, t);
                assertThat(Arrays.copyOfRange(r[0], 2048, 4096)).as("step %d", t)
                        .isEqualTo(Arrays.copyOfRange(r[1], 2048, 4096));
            }
            assertThat(ex.residuals()[1]).isDeepEqualTo(ref.residuals()[1]); // fc3.weight: group 1 in both
            return new Object[] {ex.plan(), ex.planVersion(), ex.callsPerStep()};
        });
        assertThat(outs.get(0).error()).isNull();
        assertThat(outs.get(1).error()).isNull();
        @SuppressWarnings("unchecked")
        Map<String, String> plan = (Map<String, String>) outs.get(0).value()[0];
        assertThat(bitsOf(plan.get("fc1.weight"))).isGreaterThan(bitsOf(plan.get("fc2.weight")));
        assertThat(plan.get("fc3.weight")).startsWith("ef:topk:ratio=0.1");
        assertThat((long) outs.get(0).value()[1]).isEqualTo(1);
        assertThat((int) outs.get(0).value()[2]).isEqualTo(4); // fc1, fc3, fc2 compressed; the biases plain
    }

    @Test
    void unfusedAdaptiveExchangeHasOneCallPerCompressedLayer() throws InterruptedException {
        List<InProcessJob.RankOutcome<Object[]>> outs = InProcessJob.runAll(3, 0, rank -> comm -> {
            GradientExchange ex = new GradientExchange(comm, MIXED, "adaptive:bits=4,warmup=2", 1024, Map.of(), 3,
                    false);
            List<float[]> avgs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                float[] g = mixed(rank, t);
                ex.average(g);
                avgs.add(g);
            }
            return new Object[] {ex.describe(), ex.callsPerStep(), avgs};
        });
        for (InProcessJob.RankOutcome<Object[]> o : outs) {
            assertThat(o.error()).isNull();
            assertThat(o.value()[0]).isEqualTo(outs.get(0).value()[0]);
            assertThat((int) o.value()[1]).isEqualTo(3);
            @SuppressWarnings("unchecked")
            List<float[]> mine = (List<float[]>) o.value()[2];
            @SuppressWarnings("unchecked")
            List<float[]> first = (List<float[]>) outs.get(0).value()[2];
            for (int t = 0; t < 4; t++) {
                assertThat(mine.get(t)).isEqualTo(first.get(t));
            }
        }
    }

    @Test
    void nonAdaptiveExchangesHaveNoPlanState() throws InterruptedException {
        List<InProcessJob.RankOutcome<Object>> outs = InProcessJob.runAll(2, 0, rank -> comm -> {
            GradientExchange ex = new GradientExchange(comm, LAYERS, "qsgd:bits=4", 1024, Map.of(), 1);
            for (int t = 0; t < 3; t++) {
                ex.average(input(rank, 5015));
            }
            assertThat(ex.planVersion()).isZero();
            assertThat(ex.planState()).isEmpty();
            assertThat(ex.initialDescribe()).isEqualTo(ex.describe());
            ex.restorePlanState("");
            return null;
        });
        assertThat(outs.get(0).error()).isNull();
        assertThat(outs.get(1).error()).isNull();
    }

    @Test
    void validateCodecAcceptsRegistryNoneAndAdaptiveSpecifications() {
        for (String ok : new String[] {"none", "NONE", "qsgd:bits=4", "qsgd:bits=4,norm=max", "ef:topk:ratio=0.01",
                "maxmin:bits=8", "fp32", "adaptive:bits=4", "adaptive:bits=3.5,min=2,max=6,warmup=10,every=200",
                "Adaptive:bits=2,min=2,max=2,norm=l2,bucket=1024,base=qsgd"}) {
            GradientExchange.validateCodec(ok);
        }
        assertThatThrownBy(() -> Codecs.create("adaptive:bits=4", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GradientExchange.validateCodec("bogus:bits=4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown codec 'bogus'")
                .hasMessageContaining("qsgd").hasMessageContaining("adaptive:bits=B").hasMessageContaining("none");
        assertThatThrownBy(() -> GradientExchange.validateCodec("ef:bogus"))
                .hasMessageContaining("unknown codec 'bogus'");
        assertThatThrownBy(() -> GradientExchange.validateCodec("ef:adaptive:bits=3"))
                .hasMessageContaining("cannot be wrapped in ef:");
        assertThatThrownBy(() -> GradientExchange.validateCodec("qsgd:bits=9"))
                .hasMessageContaining("bits must be in [2, 8]");
        assertThatThrownBy(() -> GradientExchange.validateCodec("adaptive")).hasMessageContaining("needs bits=B");
        assertThatThrownBy(() -> GradientExchange.validateCodec("adaptive:bits=4,warmup=-1"))
                .hasMessageContaining("warmup must be in");
        assertThatThrownBy(() -> GradientExchange.validateCodec("adaptive:bits=4,levels=3"))
                .hasMessageContaining("unknown parameter levels");
        assertThatThrownBy(() -> GradientExchange.validateCodec(" ")).hasMessageContaining("empty codec");
        assertThatThrownBy(() -> GradientExchange.validateCodec(null)).hasMessageContaining("empty codec");
    }
}
