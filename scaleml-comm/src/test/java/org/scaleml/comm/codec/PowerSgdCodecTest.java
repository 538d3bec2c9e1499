package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PowerSgdCodecTest {

    @Nested
    class Matrix extends CodecContract {
        @Override
        String spec() {
            return "powersgd:rank=2,rows=10";
        }

        @Override
        double maxRelativeError() {
            // a 10 x C Gaussian matrix has nearly equal singular values: rank 2 keeps about 2/10 of the energy,
            // relative error about sqrt(0.8) = 0.894 (measured 0.887 .. 0.905; a projection never exceeds 1)
            return 0.92;
        }

        @Override
        int[] sizes() {
            return new int[] {0, 10, 20, 70, 640, 1000, 5120, 10_000}; // multiples of rows
        }

        /** The contract's zero-vector sizes include n = 1, which no 10-row matrix has; these are multiples. */
        @Override
        @Test
        void zeroVectorDecodesToZero() {
            GradientCodec c = codec(2);
            for (int n : new int[] {10, 100, 5000}) {
                float[] out = constant(n, 9f);
                byte[] p = encode(c, new float[n]);
                c.decode(p, 0, p.length, out, 0, n);
                assertThat(out).containsOnly(0f);
            }
        }
    }

    @Nested
    class RowVector extends CodecContract {
        @Override
        String spec() {
            return "powersgd:rank=1,rows=1";
        }

        @Override
        double maxRelativeError() {
            // a 1 x n matrix has rank 1: P = +-1, Q = +-v, P Q^T = v exactly (a degenerate but valid shape that
            // runs the unmodified contract, every n included)
            return 0;
        }
    }

    /** A rows x cols matrix of rank r (Gaussian factors), row-major. */
    static float[] lowRank(int rows, int cols, int r, double[] sigma, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] u = new double[r][rows];
        double[][] w = new double[r][cols];
        for (int l = 0; l < r; l++) {
            for (int i = 0; i < rows; i++) {
                u[l][i] = rnd.nextGaussian();
            }
            for (int j = 0; j < cols; j++) {
                w[l][j] = rnd.nextGaussian() / Math.sqrt(cols);
            }
        }
        float[] a = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int l = 0; l < r; l++) {
                    s += sigma[l] * u[l][i] * w[l][j];
                }
                a[i * cols + j] = (float) s;
            }
        }
        return a;
    }

    static float[] plusNoise(float[] a, double sd, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] += (float) (sd * rnd.nextGaussian());
        }
        return b;
    }

    static float[] roundTrip(GradientCodec c, float[] a) {
        byte[] p = CodecContract.encode(c, a);
        float[] out = new float[a.length];
        c.decode(p, 0, p.length, out, 0, a.length);
        return out;
    }

    @Test
    void recoversAMatrixOfTheCodecsRankAfterOneStepAndKeepsIt() {
        int rows = 64;
        int cols = 96;
        float[] a = lowRank(rows, cols, 3, new double[] {10, 3, 0.5}, 1);
        GradientCodec c = Codecs.create("powersgd:rank=3,rows=64", 5);
        for (int step = 0; step < 4; step++) {
            assertThat(CodecContract.relError(roundTrip(c, a), a)).as("step %d", step).isLessThan(2e-6);
        }
        // rank 4 on a rank-3 matrix: the fourth column of P is noise-level but orthonormal; still exact
        GradientCodec c4 = Codecs.create("powersgd:rank=4,rows=64", 5);
        assertThat(CodecContract.relError(roundTrip(c4, a), a)).isLessThan(2e-6);
    }

    @Test
    void warmStartConvergesToTheBestRankRApproximation() {
        // rank 2 signal with singular values 6 and 5 plus a third direction of 4 and Gaussian noise: one cold
        // step mixes the directions; warm-started steps converge to the top-2 subspace (power iteration)
        int rows = 40;
        int cols = 60;
        float[] signal = lowRank(rows, cols, 3, new double[] {6, 5, 4}, 2);
        float[] a = plusNoise(signal, 0.02, 3);
        GradientCodec c = Codecs.create("powersgd:rank=2,rows=40", 7);
        double[] err = new double[30];
        for (int step = 0; step < err.length; step++) {
            err[step] = CodecContract.relError(roundTrip(c, a), a);
        }
        // the best rank-2 error (about 4 / sqrt(77) = 0.46: the third direction and the noise), by a reference
        double best = bestRankError(a, rows, cols, 2);
        assertThat(best).isBetween(0.3, 0.6);
        assertThat(err[0]).isGreaterThan(best + 0.01); // one cold step is not enough
        assertThat(err[29]).isCloseTo(best, org.assertj.core.data.Offset.offset(1e-4)); // warm steps get there
        for (int step = 10; step < err.length; step++) { // monotone once converging (up to rounding)
            assertThat(err[step]).isLessThanOrEqualTo(err[step - 1] + 1e-6);
        }
        assertThat(err[29] - err[28]).isLessThan(1e-3); // settled
    }

    /**
     * The relative error of the best rank-r approximation of a rows x cols matrix: sqrt(1 - (sum of the r largest
     * eigenvalues of A A^T) / ||A||^2), the eigenvalues by 2000 steps of subspace iteration in double.
     */
    static double bestRankError(float[] a, int rows, int cols, int r) {
        double[][] g = new double[rows][rows]; // A A^T
        double total = 0;
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < rows; k++) {
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += (double) a[i * cols + j] * a[k * cols + j];
                }
                g[i][k] = s;
            }
            total += g[i][i];
        }
        double[][] v = new double[r][rows];
        for (int l = 0; l < r; l++) {
            v[l][l] = 1;
            v[l][(l + 1) % rows] = 0.5;
        }
        for (int it = 0; it < 2000; it++) {
            double[][] w = new double[r][rows];
            for (int l = 0; l < r; l++) {
                for (int i = 0; i < rows; i++) {
                    for (int k = 0; k < rows; k++) {
                        w[l][i] += g[i][k] * v[l][k];
                    }
                }
                for (int o = 0; o < l; o++) { // Gram-Schmidt
                    double d = 0;
                    for (int i = 0; i < rows; i++) {
                        d += w[l][i] * w[o][i];
                    }
                    for (int i = 0; i < rows; i++) {
                        w[l][i] -= d * w[o][i];
                    }
                }
                double nrm = 0;
                for (int i = 0; i < rows; i++) {
                    nrm += w[l][i] * w[l][i];
                }
                for (int i = 0; i < rows; i++) {
                    w[l][i] /= Math.sqrt(nrm);
                }
            }
            v = w;
        }
        double captured = 0; // trace of V^T G V
        for (int l = 0; l < r; l++) {
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < rows; k++) {
                    captured += v[l][i] * g[i][k] * v[l][k];
                }
            }
        }
        return Math.sqrt(1 - captured / total);
    }

    @Test
    void withErrorFeedbackTheTransmittedAverageConvergesToTheLowRankSignal() {
        // g_t = L + N_t (fresh noise each step): under ef:powersgd the average of the decoded payloads approaches
        // L: sum(decoded) = sum(g) - residual, and the noise averages out
        int rows = 32;
        int cols = 48;
        int n = rows * cols;
        float[] signal = lowRank(rows, cols, 2, new double[] {5, 3}, 4);
        GradientCodec c = Codecs.create("ef:powersgd:rank=2,rows=32", 9);
        double[] sum = new double[n];
        float[] dec = new float[n];
        double[] errAt = new double[201];
        for (int step = 1; step <= 200; step++) {
            float[] g = plusNoise(signal, 0.05, 100 + step);
            byte[] p = CodecContract.encode(c, g);
            c.decode(p, 0, p.length, dec, 0, n);
            float[] avg = new float[n];
            for (int i = 0; i < n; i++) {
                sum[i] += dec[i];
                avg[i] = (float) (sum[i] / step);
            }
            errAt[step] = CodecContract.relError(avg, signal);
        }
        assertThat(errAt[10]).isLessThan(errAt[1]);
        assertThat(errAt[50]).isLessThan(errAt[10]);
        assertThat(errAt[200]).isLessThan(errAt[50]).isLessThan(0.05);
    }

    @Test
    void wireSizeIsExact() {
        for (String spec : new String[] {"powersgd:rank=1,rows=8", "powersgd:rank=4,rows=32",
            "powersgd:rank=16,rows=4"}) {
            GradientCodec c = Codecs.create(spec, 1);
            int rows = Integer.parseInt(spec.substring(spec.indexOf("rows=") + 5));
            int rank = Integer.parseInt(spec.substring(spec.indexOf("rank=") + 5, spec.indexOf(',')));
            for (int cols : new int[] {0, 1, 3, 100}) {
                int n = rows * cols;
                int r = Math.min(rank, Math.min(rows, cols));
                int want = 10 + 12 + 4 * r * (rows + cols);
                byte[] p = CodecContract.encode(c, CodecContract.gaussian(n, cols));
                assertThat(p).as("%s n %d", spec, n).hasSize(want);
                assertThat(Wire.getInt(p, 10)).isEqualTo(rows);
                assertThat(Wire.getInt(p, 14)).isEqualTo(cols);
                assertThat(Wire.getInt(p, 18)).isEqualTo(r);
                if (n > 0) {
                    assertThat(c.bitsPerElement(n)).isEqualTo(8.0 * want / n);
                }
            }
        }
        assertThat(Codecs.create("powersgd:rank=4,rows=4096", 1).bitsPerElement(4096 * 4096))
                .isCloseTo(0.0625, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void pIsOrthonormal() {
        GradientCodec c = Codecs.create("powersgd:rank=4,rows=50", 1);
        byte[] p = CodecContract.encode(c, CodecContract.gaussian(50 * 30, 1));
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b <= a; b++) {
                double dot = 0;
                for (int i = 0; i < 50; i++) {
                    dot += (double) Wire.getFloat(p, 22 + 4 * (a * 50 + i)) * Wire.getFloat(p, 22 + 4 * (b * 50 + i));
                }
                assertThat(dot).isCloseTo(a == b ? 1 : 0, org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    @Test
    void lengthsNotDivisibleByRowsAreRefusedNamingBoth() {
        GradientCodec c = Codecs.create("powersgd:rank=2,rows=10", 1);
        assertThatThrownBy(() -> c.maxEncodedSize(1001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1001").hasMessageContaining("rows=10");
        assertThatThrownBy(() -> c.encode(new float[1001], 0, 1001, new byte[100_000], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1001");
        assertThatThrownBy(() -> c.bitsPerElement(15)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsInconsistentDimensionsAndNonFiniteFactors() {
        GradientCodec c = Codecs.create("powersgd:rank=2,rows=10", 1);
        int n = 200;
        byte[] good = CodecContract.encode(c, CodecContract.gaussian(n, 1));
        float[] out = new float[n];
        int[][] dims = {{20, 10, 2}, {10, 21, 2}, {10, -20, 2}, {10, 20, 3}, {10, 20, 1}, {10, 20, -1},
            {Integer.MAX_VALUE, 20, 2}};
        String[] messages = {"rows=10", "matrix for 200", "matrix for 200", "rank 3", "rank 1", "rank -1", "rows=10"};
        for (int t = 0; t < dims.length; t++) {
            byte[] p = good.clone();
            Wire.putInt(p, 10, dims[t][0]);
            Wire.putInt(p, 14, dims[t][1]);
            Wire.putInt(p, 18, dims[t][2]);
            Wire.seal(p, 0, p.length);
            assertThatThrownBy(() -> c.decode(p, 0, p.length, out, 0, n)).isInstanceOf(CodecFormatException.class)
                    .hasMessageContaining(messages[t]);
        }
        byte[] nan = good.clone();
        Wire.putFloat(nan, 22 + 4 * 25, Float.NaN); // value 25: past the 2 x 10 of P, in Q
        Wire.seal(nan, 0, nan.length);
        assertThatThrownBy(() -> c.decode(nan, 0, nan.length, out, 0, n)).isInstanceOf(CodecFormatException.class)
                .hasMessageContaining("non-finite value in Q");
        byte[] inf = good.clone();
        Wire.putFloat(inf, 22 + 4 * 3, Float.NEGATIVE_INFINITY);
        Wire.seal(inf, 0, inf.length);
        assertThatThrownBy(() -> c.decode(inf, 0, inf.length, out, 0, n)).isInstanceOf(CodecFormatException.class)
                .hasMessageContaining("non-finite value in P");
    }

    @Test
    void nonFiniteInputIsRefused() {
        GradientCodec c = Codecs.create("powersgd:rank=2,rows=4", 1);
        float[] v = CodecContract.gaussian(40, 1);
        v[17] = Float.NaN;
        assertThatThrownBy(() -> CodecContract.encode(c, v)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not finite");
    }

    @Test
    void specificationIsCanonicalAndValidated() {
        assertThat(Codecs.create("powersgd:rows=64", 1).spec()).isEqualTo("powersgd:rank=4,rows=64");
        assertThat(Codecs.create("powersgd:rows=1K,rank=1", 1).spec()).isEqualTo("powersgd:rank=1,rows=1024");
        assertThatThrownBy(() -> Codecs.create("powersgd", 1)).hasMessageContaining("rows=M");
        assertThatThrownBy(() -> Codecs.create("powersgd:rank=0,rows=4", 1)).hasMessageContaining("rank");
        Codecs.Entry e = Codecs.entries().stream().filter(x -> x.name().equals("powersgd")).findFirst()
                .orElseThrow();
        assertThat(e.help()).contains("rank", "default 4", "rows", "required");
        assertThat(Codecs.create(e.example(), 1).spec()).isEqualTo(e.example());
    }
}
