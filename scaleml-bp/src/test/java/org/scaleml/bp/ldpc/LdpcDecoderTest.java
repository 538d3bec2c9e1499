package org.scaleml.bp.ldpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.io.SharedData;

class LdpcDecoderTest {
    private static ParityCheckCode mackay() throws IOException {
        Path p = SharedData.file("ldpc", "MACKAY_504_1008.alist");
        assumeTrue(Files.isReadable(p), p + " is absent");
        return AlistReader.read(p);
    }

    @Test
    void awgnNoiseVarianceMatchesTheFormula() {
        double ebN0Db = 2;
        double rate = 0.5;
        AwgnChannel ch = AwgnChannel.ofEbN0Db(ebN0Db, rate, 1);
        double expected = 1 / (2 * rate * Math.pow(10, ebN0Db / 10));
        assertThat(ch.noiseVariance()).isCloseTo(expected, within(1e-15));
        assertThat(AwgnChannel.ofSnrDb(3, 1).noiseVariance()).isCloseTo(1 / (2 * Math.pow(10, 0.3)), within(1e-15));
        int n = 400_000;
        double[] y = ch.transmit(new int[n], new double[n]);
        double sum = 0;
        double sq = 0;
        for (double v : y) {
            sum += v - 1;
            sq += (v - 1) * (v - 1);
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        assertThat(mean).isCloseTo(0, within(0.01));
        assertThat(var).isCloseTo(expected, within(expected * 0.01));
        // LLR = 2 y / sigma^2, positive for 0
        assertThat(ch.llr(new double[] {0.5}, new double[1])[0]).isCloseTo(1 / expected, within(1e-12));
        // one's symbol is -1
        double[] ones = AwgnChannel.ofVariance(1e-6, 3).transmit(new int[] {1}, new double[1]);
        assertThat(ones[0]).isCloseTo(-1, within(0.01));
        // seeded: same seed, same noise
        assertThat(AwgnChannel.ofSnrDb(1, 9).transmitLlr(new int[8]))
                .containsExactly(AwgnChannel.ofSnrDb(1, 9).transmitLlr(new int[8]));
    }

    @Test
    void correctsASingleErrorOfHamming() {
        ParityCheckCode c = AlistReaderTest.hamming();
        LdpcDecoder d = new LdpcDecoder(c, 20);
        double[] llr = {3, 3, 3, 3, 3, 3, 3};
        llr[4] = -1; // bit 4 looks like a 1, weakly
        assertThat(c.isCodeword(new int[] {0, 0, 0, 0, 1, 0, 0})).isFalse();
        LdpcDecoder.Result r = d.decode(llr);
        assertThat(r.syndromeOk()).isTrue();
        assertThat(r.bits()).containsOnly(0);
        assertThat(r.iterations()).isGreaterThanOrEqualTo(1);
        // a clean frame needs no iteration
        assertThat(d.decode(new double[] {1, 1, 1, 1, 1, 1, 1}).iterations()).isZero();
        assertThatThrownBy(() -> d.decode(new double[3])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void syndromeCheckReportsFailure() {
        ParityCheckCode c = AlistReaderTest.hamming();
        LdpcDecoder d = new LdpcDecoder(c, 3);
        AwgnChannel ch = AwgnChannel.ofSnrDb(-4, 17);
        int failures = 0;
        for (int f = 0; f < 300; f++) {
            LdpcDecoder.Result r = d.decode(ch.transmitLlr(new int[c.n()]));
            // the flag is exactly "the decision is a codeword"
            assertThat(r.syndromeOk()).isEqualTo(c.isCodeword(r.bits()));
            if (!r.syndromeOk()) {
                failures++;
                assertThat(r.iterations()).isEqualTo(3); // a failure runs to the cap
            } else {
                assertThat(r.iterations()).isLessThanOrEqualTo(3);
            }
        }
        assertThat(failures).isPositive();
    }

    /** The specialised decoder and the generic flooding sum-product on LdpcFactorGraph agree on the posteriors. */
    @Test
    void agreesWithGenericFloodingBp() {
        ParityCheckCode c = AlistReaderTest.hamming();
        double[] llr = AwgnChannel.ofSnrDb(1, 5).transmitLlr(new int[c.n()]);
        FactorGraph g = LdpcFactorGraph.build(c, llr);
        assertThat(g.factors()).isEqualTo(c.n() + c.m());
        assertThat(g.table(c.n())).containsExactly(1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1);
        for (int t = 1; t <= 6; t++) {
            LdpcDecoder.Result r = new LdpcDecoder(c, t, false).decode(llr);
            double[][] marg = FloodingSumProduct.marginals(g, t + 1);
            for (int v = 0; v < c.n(); v++) {
                double p1 = 1 / (1 + Math.exp(r.posterior()[v]));
                assertThat(marg[v][1]).as("iteration %d bit %d", t, v).isCloseTo(p1, within(1e-9));
            }
        }
    }

    @Test
    void agreesWithGenericBpOnMacKay() throws IOException {
        ParityCheckCode c = mackay();
        double[] llr = AwgnChannel.ofEbN0Db(1, 0.5, 11).transmitLlr(new int[c.n()]);
        FactorGraph g = LdpcFactorGraph.build(c, llr);
        LdpcDecoder.Result r = new LdpcDecoder(c, 4, false).decode(llr);
        double[][] marg = FloodingSumProduct.marginals(g, 5);
        for (int v = 0; v < c.n(); v++) {
            assertThat(marg[v][1]).isCloseTo(1 / (1 + Math.exp(r.posterior()[v])), within(1e-7));
        }
    }

    @Test
    void factorGraphRefusesHeavyRows() throws IOException {
        Path p = SharedData.file("ldpc", "WIFI_540_648.alist");
        assumeTrue(Files.isReadable(p));
        ParityCheckCode c = AlistReader.read(p);
        assertThatThrownBy(() -> LdpcFactorGraph.build(c, new double[c.n()]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has weight 22")
                .hasMessageContaining("LdpcDecoder");
        // the specialised decoder handles it: at 5 dB, 50 frames decode
        LdpcSimulation.Result r = new LdpcSimulation(c, 50).run(5, 50, 3);
        assertThat(r.fer()).isLessThan(0.1);
    }

    @Test
    void macKayAtFourDbHasBerBelow1e4() throws IOException {
        ParityCheckCode c = mackay();
        LdpcSimulation.Result r = new LdpcSimulation(c, 50).run(4.0, 400, 2024);
        System.out.println("MacKay (3,6) N=1008: " + r);
        assertThat(r.ber()).isLessThan(1e-4);
        assertThat(r.meanIterations()).isLessThan(10);
    }

    @Test
    void macKayAtZeroDbFailsAndSaysSo() throws IOException {
        ParityCheckCode c = mackay();
        LdpcSimulation.Result r = new LdpcSimulation(c, 50).run(0.0, 100, 7);
        System.out.println("MacKay (3,6) N=1008: " + r);
        assertThat(r.fer()).isGreaterThan(0.5);
        assertThat(r.detectedFailures()).isGreaterThan(r.frames() / 2);
        assertThat(r.ber()).isGreaterThan(1e-3);
    }

    @Test
    void macKayWaterfall() throws IOException {
        ParityCheckCode c = mackay();
        LdpcSimulation sim = new LdpcSimulation(c, 50);
        for (double db : new double[] {1.0, 1.5, 2.0, 2.5}) {
            System.out.println("MacKay (3,6) N=1008: " + sim.run(db, 200, 99));
        }
    }
}
