package org.scaleml.comm.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scaleml.comm.transport.Communicator;

class CompressedAllreduceTest {
    static Stream<Arguments> worlds() {
        return IntStream.rangeClosed(1, 8).mapToObj(Arguments::of);
    }

    /** Runs one compressed allreduce per rank on the given inputs; returns each rank's result. */
    static List<float[]> run(String spec, float[][] in) {
        return Ranks.run(in.length, comm -> {
            float[] x = in[comm.rank()].clone();
            new CompressedAllreduce(comm, spec, 42).allreduce(x);
            return x;
        });
    }

    static void assertIdentical(List<float[]> out, String what) {
        for (int r = 1; r < out.size(); r++) {
            assertThat(Data.bits(out.get(r))).as(what + ", rank " + r).isEqualTo(Data.bits(out.get(0)));
        }
    }

    @ParameterizedTest(name = "P = {0}")
    @MethodSource("worlds")
    void losslessCodecGivesTheExactSum(int p) {
        for (int n : new int[] {0, 1, 2, 3, 7, 13, 1001, 100_003}) {
            float[][] in = new float[p][];
            for (int r = 0; r < p; r++) {
                in[r] = Data.integers(n * 7L + p, r, n);
            }
            double[] exact = Data.sum(in, n);
            List<float[]> out = run("fp32", in);
            assertIdentical(out, "fp32 P=" + p + " n=" + n);
            for (int i = 0; i < n; i++) {
                assertThat(out.get(0)[i]).as("fp32 P=" + p + " n=" + n + " [" + i + "]").isEqualTo((float) exact[i]);
            }
            float[][] u = new float[p][];
            for (int r = 0; r < p; r++) {
                u[r] = Data.uniform(n * 7L + p, r, n);
            }
            List<float[]> outU = run("fp32", u);
            assertIdentical(outU, "fp32 uniform P=" + p + " n=" + n);
            Data.assertNearSum(outU.get(0), 0, u, 0, n, "fp32 uniform P=" + p + " n=" + n);
        }
    }

    /**
     * maxmin:bits=4 rounds every element to one of the two levels around it, spaced w = (max - min) / 15 apart in
     * its bucket: each of the P - 1 incoming quantizations moves an element by less than the sender's w (2/15 for
     * inputs in [-1, 1)), the owner's by less than the w of the reduced bucket. The variance of each is at most
     * w^2 / 4, so the root-mean-square error is at most sqrt(sum of w^2 / 4).
     */
    @ParameterizedTest(name = "P = {0}")
    @MethodSource("worlds")
    void maxMinErrorStaysWithinItsDeterministicAndVarianceBounds(int p) {
        int n = 50_001;
        float[][] in = new float[p][];
        for (int r = 0; r < p; r++) {
            in[r] = Data.uniform(11 + p, r, n);
        }
        double[] exact = Data.sum(in, n);
        List<float[]> out = run("maxmin:bits=4,bucket=512", in);
        assertIdentical(out, "maxmin P=" + p);
        double wIn = 2.0 / 15;
        double wOut = 2 * (p + (p - 1) * wIn) / 15; // the reduced values lie in [-(p + (p-1) wIn), +...]
        double maxErr = 0;
        double sq = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = out.get(0)[i] - exact[i];
            maxErr = Math.max(maxErr, Math.abs(e));
            sq += e * e;
            sum += e;
        }
        double bound = (p - 1) * wIn + wOut + 1e-5 * p;
        assertThat(maxErr).as("max error, P=" + p).isLessThanOrEqualTo(bound);
        double rmsBound = Math.sqrt(((p - 1) * wIn * wIn + wOut * wOut) / 4);
        assertThat(Math.sqrt(sq / n)).as("rms error, P=" + p).isLessThanOrEqualTo(rmsBound * 1.05);
        // unbiased: the mean error is within 5 standard errors of 0
        assertThat(Math.abs(sum / n)).as("mean error, P=" + p).isLessThanOrEqualTo(5 * rmsBound / Math.sqrt(n));
    }

    /**
     * qsgd (L2 scale) has variance at most K ||v||^2 per bucket with K = min(d / s^2, sqrt(d) / s) (s = 7 levels
     * for 4 bits, d = 512): the P - 1 incoming quantizations contribute K sum ||x_r[c]||^2 and the owner's
     * K E||reduced||^2 = K (||exact||^2 + K sum ||x_r[c]||^2) (with ||reduced||^2 bounded through the first
     * error). The squared error must stay within that expectation (with margin for the sample).
     */
    @Test
    void qsgdErrorStaysWithinItsVarianceBound() {
        int p = 5;
        int n = 60_000;
        float[][] in = new float[p][];
        for (int r = 0; r < p; r++) {
            in[r] = Data.uniform(5, r, n);
        }
        double[] exact = Data.sum(in, n);
        List<float[]> out = run("qsgd:bits=4,bucket=512", in);
        assertIdentical(out, "qsgd");
        double k = Math.min(512.0 / 49, Math.sqrt(512) / 7);
        double incoming = 0; // sum over chunks of the non-owners' squared norms
        for (int c = 0; c < p; c++) {
            int s = Chunks.start(n, p, c);
            int len = Chunks.length(n, p, c);
            for (int r = 0; r < p; r++) {
                if (r != c) {
                    for (int i = s; i < s + len; i++) {
                        incoming += in[r][i] * (double) in[r][i];
                    }
                }
            }
        }
        double exactSq = 0;
        double errSq = 0;
        double errSum = 0;
        for (int i = 0; i < n; i++) {
            exactSq += exact[i] * exact[i];
            double e = out.get(0)[i] - exact[i];
            errSq += e * e;
            errSum += e;
        }
        double expected = k * incoming + k * (exactSq + k * incoming);
        assertThat(errSq).isLessThanOrEqualTo(1.2 * expected);
        assertThat(Math.abs(errSum / n)).isLessThanOrEqualTo(5 * Math.sqrt(expected / n) / Math.sqrt(n));
    }

    @Test
    void errorFeedbackResidualsConserveMassOverSeveralCalls() {
        for (int p : new int[] {1, 3, 4, 7}) {
            int n = 3001;
            int calls = 6;
            List<double[]> perRank = Ranks.run(p, comm -> {
                CompressedAllreduce car = new CompressedAllreduce(comm, "ef:topk:ratio=0.05", 9);
                double[] inputs = new double[n];
                double[] results = new double[n];
                for (int t = 0; t < calls; t++) {
                    float[] x = Data.uniform(100 + t, comm.rank(), n);
                    for (int i = 0; i < n; i++) {
                        inputs[i] += x[i];
                    }
                    car.allreduce(x);
                    for (int i = 0; i < n; i++) {
                        results[i] += x[i];
                    }
                }
                float[] res = new float[n];
                car.addResiduals(res, 0);
                double[] out = new double[3 * n];
                for (int i = 0; i < n; i++) {
                    out[i] = inputs[i];
                    out[n + i] = results[i];
                    out[2 * n + i] = res[i];
                }
                return out;
            });
            double residualMass = 0;
            for (int i = 0; i < n; i++) {
                double in = 0;
                double res = 0;
                for (double[] a : perRank) {
                    in += a[i];
                    res += a[2 * n + i];
                }
                double results = perRank.get(0)[n + i]; // identical on every rank
                for (double[] a : perRank) {
                    assertThat(a[n + i]).isEqualTo(results);
                }
                assertThat(results + res).as("P=" + p + " [" + i + "]").isCloseTo(in,
                        org.assertj.core.api.Assertions.within(1e-4 * p * calls));
                residualMass += Math.abs(res);
            }
            if (p > 1) {
                assertThat(residualMass).as("TopK 5% must hold some mass back").isGreaterThan(1);
            }
        }
    }

    @Test
    void restartWithRestoredResidualsContinuesExactlyLikeTheUninterruptedInstance() {
        int n = 2001;
        for (String spec : new String[] {"ef:topk:ratio=0.05", "qsgd:bits=4", "ef:maxmin:bits=2"}) {
            // A: 3 calls, restart(77), 3 more calls. B: 3 calls, residuals saved; a NEW instance restores them,
            // restarts with 77 and does the same 3 calls. Both must give bitwise the same results.
            List<int[]> a = Ranks.run(3, comm -> {
                CompressedAllreduce car = new CompressedAllreduce(comm, spec, 5);
                for (int t = 0; t < 3; t++) {
                    car.allreduce(Data.uniform(10 + t, comm.rank(), n));
                }
                car.restart(77);
                float[] x = null;
                for (int t = 3; t < 6; t++) {
                    x = Data.uniform(10 + t, comm.rank(), n);
                    car.allreduce(x);
                }
                return Data.bits(x);
            });
            List<int[]> b = Ranks.run(3, comm -> {
                CompressedAllreduce first = new CompressedAllreduce(comm, spec, 5);
                for (int t = 0; t < 3; t++) {
                    first.allreduce(Data.uniform(10 + t, comm.rank(), n));
                }
                float[][] saved = first.residuals();
                CompressedAllreduce car = new CompressedAllreduce(comm, spec, 123);
                car.restoreResiduals(saved);
                car.restart(77);
                float[] x = null;
                for (int t = 3; t < 6; t++) {
                    x = Data.uniform(10 + t, comm.rank(), n);
                    car.allreduce(x);
                }
                return Data.bits(x);
            });
            for (int r = 0; r < 3; r++) {
                assertThat(b.get(r)).as(spec + " rank " + r).isEqualTo(a.get(r));
            }
            if (spec.startsWith("ef:")) {
                // without the residuals the continuation differs: the check above can fail
                List<int[]> c = Ranks.run(3, comm -> {
                    CompressedAllreduce car = new CompressedAllreduce(comm, spec, 123);
                    car.restart(77);
                    float[] x = null;
                    for (int t = 3; t < 6; t++) {
                        x = Data.uniform(10 + t, comm.rank(), n);
                        car.allreduce(x);
                    }
                    return Data.bits(x);
                });
                assertThat(c.get(0)).as(spec + " without residuals").isNotEqualTo(a.get(0));
            }
        }
        assertThatThrownBy(() -> Ranks.run(2, comm -> {
            new CompressedAllreduce(comm, "qsgd", 1).restoreResiduals(new float[][] {{1f}, {}});
            return null;
        })).hasMessageContaining("without error feedback");
    }

    @Test
    void anOwnerCodecKeepingMoreOfTheSumConservesMassAndLosesLess() {
        int n = 4000;
        int p = 4;
        double[] err = new double[2];
        for (int variant = 0; variant < 2; variant++) {
            String owner = variant == 0 ? "ef:topk:ratio=0.01" : "ef:topk:ratio=0.04";
            List<float[]> out = Ranks.run(p, comm -> {
                float[] x = Data.uniform(31, comm.rank(), n);
                new CompressedAllreduce(comm, "ef:topk:ratio=0.01", owner, 3).allreduce(x);
                return x;
            });
            assertIdentical(out, owner);
            double e2 = 0;
            double s2 = 0;
            for (int i = 0; i < n; i++) {
                double exact = 0;
                for (int r = 0; r < p; r++) {
                    exact += Data.uniform(31, r, n)[i];
                }
                e2 += (out.get(0)[i] - exact) * (out.get(0)[i] - exact);
                s2 += exact * exact;
            }
            err[variant] = Math.sqrt(e2 / s2);
        }
        assertThat(err[1]).as("owner at 4% against 1%").isLessThan(err[0]);
        assertThatThrownBy(() -> Ranks.run(2, comm -> new CompressedAllreduce(comm, "topk", "qsgd", 1)))
                .hasMessageContaining("another wire format");
    }

    @Test
    void anInstanceServesOneTensorLength() {
        Ranks.run(2, comm -> {
            CompressedAllreduce car = new CompressedAllreduce(comm, "maxmin", 1);
            car.allreduce(new float[10]);
            assertThat(car.length()).isEqualTo(10);
            assertThatThrownBy(() -> car.allreduce(new float[11])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("10 elements");
            return null;
        });
        assertThatThrownBy(() -> new CompressedAllreduce(new Communicator(Ranks.network(1).endpoint(0)),
                "nosuch", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compressedBytesAreAFractionOfDenseRing() {
        int p = 4;
        int n = 100_000;
        List<long[]> bytes = Ranks.run(p, comm -> {
            CompressedAllreduce car = new CompressedAllreduce(comm, "maxmin:bits=4,bucket=512", 3);
            float[] x = Data.uniform(1, comm.rank(), n);
            comm.resetCounters();
            car.allreduce(x);
            return new long[] {comm.bytesSent()};
        });
        double ideal = 2.0 * (p - 1) / p * n * (4 + 64.0 / 512) / 8; // bits + two floats per bucket
        for (long[] b : bytes) {
            assertThat((double) b[0]).isBetween(ideal * 0.98, ideal * 1.03);
        }
    }
}
