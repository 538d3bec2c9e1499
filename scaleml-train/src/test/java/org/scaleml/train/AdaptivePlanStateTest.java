package org.scaleml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AdaptivePlanStateTest {
    static final String CODEC = "adaptive:bits=3.5,min=2,max=6,warmup=4,every=5";
    static final String SPEC = "adaptive:bits=3.5,min=2,max=6,warmup=4,every=5,bucket=512,norm=max,base=qsgd";
    /**
     * States written by the exchange before the plan state became a record (GradientExchangeTest.MIXED, CODEC, seed
     * 7, one rank, GradientExchangeTest.mixed(0, step) for steps 0..6): checkpoints hold exactly these.
     */
    static final String AFTER_4 = "adaptive-plan-v1;spec=" + SPEC + ";layers=26274439;calls=4;version=1;bits=4,2";
    static final String AFTER_7 = "adaptive-plan-v1;spec=" + SPEC + ";layers=26274439;calls=7;version=1;bits=4,2;"
            + "err=416080e21c000000,41410fe4d0000000,4128032b50000000,41124d6428000000,40fc077e38000000,"
            + "4093766930000000,4060c8a198000000,40381c8250000000,4014fc6428000000,3ff38a5508000000";

    @Test
    void parseAndFormatRoundTripTheSavedText() {
        for (String text : new String[] {AFTER_4, AFTER_7}) {
            AdaptivePlanState s = AdaptivePlanState.parse(text);
            assertThat(s.format()).isEqualTo(text);
            assertThat(s.toString()).isEqualTo(text);
            assertThat(AdaptivePlanState.parse(s.format())).isEqualTo(s).hasSameHashCodeAs(s);
        }
        AdaptivePlanState s = AdaptivePlanState.parse(AFTER_7);
        assertThat(s.spec()).isEqualTo(SPEC);
        assertThat(s.layers()).isEqualTo("26274439");
        assertThat(s.calls()).isEqualTo(7);
        assertThat(s.version()).isEqualTo(1);
        assertThat(s.bits()).containsExactly(4, 2);
        assertThat(s.measured()).isTrue();
        assertThat(s.errorSums()).hasSize(10);
        assertThat(Double.doubleToRawLongBits(s.errorSums()[9])).isEqualTo(0x3ff38a5508000000L);
        assertThat(AdaptivePlanState.parse(AFTER_4).measured()).isFalse();
        assertThat(AdaptivePlanState.parse(AFTER_4).errorSums()).isNull();
    }

    @Test
    void roundTripIsBitExactForAnyFiniteSums() {
        double[] sums = {0.0, Double.MIN_VALUE, 1e-300, 0.1, 1.0 / 3, 12345.678, Double.MAX_VALUE};
        AdaptivePlanState s = new AdaptivePlanState(SPEC, "0000abcd", 3, 0, new int[] {3, 3, 3}, sums);
        double[] back = AdaptivePlanState.parse(s.format()).errorSums();
        for (int i = 0; i < sums.length; i++) {
            assertThat(Double.doubleToRawLongBits(back[i])).isEqualTo(Double.doubleToRawLongBits(sums[i]));
        }
        AdaptivePlanState empty = new AdaptivePlanState(SPEC, "0000abcd", 9, 2, new int[0], new double[0]);
        assertThat(empty.format()).endsWith(";bits=;err=");
        assertThat(AdaptivePlanState.parse(empty.format())).isEqualTo(empty);
    }

    @Test
    void fieldsMayComeInAnyOrder() {
        String reordered = "adaptive-plan-v1;bits=4,2;calls=4;version=1;layers=26274439;spec=" + SPEC;
        assertThat(AdaptivePlanState.parse(reordered).format()).isEqualTo(AFTER_4);
    }

    @Test
    void theRecordIsImmutable() {
        int[] bits = {4, 2};
        AdaptivePlanState s = new AdaptivePlanState(SPEC, "26274439", 4, 1, bits, null);
        bits[0] = 9;
        s.bits()[1] = 9;
        assertThat(s.format()).isEqualTo(AFTER_4);
    }

    @Test
    void malformedTextIsRefusedWithTheReason() {
        String[][] cases = {
            {"", "does not start with adaptive-plan-v1"},
            {"adaptive-plan-v2;spec=x", "does not start with adaptive-plan-v1"},
            {AFTER_4 + ";calls=5", "expected distinct key=value fields, got 'calls=5'"},
            {AFTER_4 + ";nokey", "expected distinct key=value fields, got 'nokey'"},
            {AFTER_4 + ";=1", "expected distinct key=value fields, got '=1'"},
            {AFTER_4 + ";extra=1", "unknown field 'extra'"},
            {AFTER_4.replace(";version=1", ""), "missing field 'version'"},
            {AFTER_4.replace("calls=4", "calls=four"), "not a number"},
            {AFTER_4.replace("bits=4,2", "bits=4,,2"), "not a number"},
            {AFTER_4 + ";err=zz", "not a number"},
            {AFTER_4 + ";err=" + Long.toHexString(Double.doubleToRawLongBits(Double.NaN)),
                "error sum NaN is not finite and >= 0"},
            {AFTER_4 + ";err=" + Long.toHexString(Double.doubleToRawLongBits(-1.0)),
                "error sum -1.0 is not finite and >= 0"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> AdaptivePlanState.parse(c[0])).as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("malformed adaptive plan state '")
                    .hasMessageContaining(c[1]);
        }
        String longText = AFTER_7 + ";extra=1";
        assertThatThrownBy(() -> AdaptivePlanState.parse(longText)).hasMessageContaining("...'")
                .hasMessageNotContaining(longText);
    }

    @Test
    void statesThatDoNotFitTheExchangeAreRefused() {
        LayerwisePlanner.Spec spec = LayerwisePlanner.Spec.parse(CODEC);
        List<org.scaleml.train.model.Layer> planned = List.of(GradientExchangeTest.MIXED.get(0),
                GradientExchangeTest.MIXED.get(2));
        assertThat(AdaptivePlanState.parse(AFTER_7, spec, "26274439", planned).format()).isEqualTo(AFTER_7);
        assertThatThrownBy(() -> AdaptivePlanState.parse(AFTER_7, LayerwisePlanner.Spec.parse("adaptive:bits=3"),
                "26274439", planned)).hasMessageContaining("another codec");
        assertThatThrownBy(() -> AdaptivePlanState.parse(AFTER_7, spec, "00000000", planned))
                .hasMessageContaining("other layers");
        String[][] cases = {
            {AFTER_4.replace("bits=4,2", "bits=4"), "1 widths for 2 adaptive layers"},
            {AFTER_7.replace(",3ff38a5508000000", ""), "9 error sums, expected 10"},
            {AFTER_4.replace("calls=4;version=1", "calls=0;version=0"), "calls=0 (a saved state has at least 1)"},
            {AFTER_4.replace("version=1", "version=2"), "version=2 after 4 calls (expected 1)"},
            {AFTER_7.substring(0, AFTER_7.indexOf(";err=")), "no error sums after call 7, inside"},
            {AFTER_4 + ";err=" + "0,".repeat(9) + "0", "error sums after call 4, outside"},
            {AFTER_4.replace("bits=4,2", "bits=7,2"), "width 7 of fc1.weight is not a width of this plan"},
            {AFTER_4.replace("bits=4,2", "bits=4,4"), "widths above the budget of 3.5 bits per element"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> AdaptivePlanState.parse(c[0], spec, "26274439", planned)).as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("malformed adaptive plan state '")
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void theExchangeStillWritesAndLoadsTheSavedText() throws InterruptedException {
        List<InProcessJob.RankOutcome<Object>> outs = InProcessJob.runAll(1, 0, rank -> comm -> {
            GradientExchange a = new GradientExchange(comm, GradientExchangeTest.MIXED, CODEC, 1024, Map.of(), 7);
            for (int step = 0; step < 7; step++) {
                a.average(GradientExchangeTest.mixed(0, step));
                if (step == 3) {
                    assertThat(a.planState()).isEqualTo(AFTER_4);
                }
            }
            assertThat(a.planState()).isEqualTo(AFTER_7);
            GradientExchange b = new GradientExchange(comm, GradientExchangeTest.MIXED, CODEC, 1024, Map.of(), 7);
            b.restorePlanState(AFTER_7);
            assertThat(b.planState()).isEqualTo(AFTER_7);
            assertThat(b.planVersion()).isEqualTo(1);
            assertThat(b.describe()).isEqualTo(a.describe()).contains("fc1.weight=qsgd:bits=4,")
                    .contains("fc2.weight=qsgd:bits=2,");
            return null;
        });
        assertThat(outs.get(0).error()).isNull();
    }
}
