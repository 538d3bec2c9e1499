package org.scaleml.train.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Gemm against a naive double-precision product, with offsets, padded leading dimensions and zeros in A. */
class GemmTest {

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"1,1,1", "3,5,7", "17,9,4", "5,600,300", "70,33,129", "2,1030,6", "64,10,130"})
    void allThreeProductsMatchTheNaiveOnes(int m, int n, int k) {
        SplittableRandom rnd = new SplittableRandom(m * 1000L + n * 10L + k);
        Gemm g = new Gemm();
        for (int variant = 0; variant < 3; variant++) {
            for (boolean acc : new boolean[] {false, true}) {
                // op(A) is m x k, op(B) is k x n; store with padding and offsets.
                int aRows = variant == 1 ? k : m;
                int aCols = variant == 1 ? m : k;
                int bRows = variant == 2 ? n : k;
                int bCols = variant == 2 ? k : n;
                int lda = aCols + 3;
                int ldb = bCols + 1;
                int ldc = n + 2;
                float[] a = random(rnd, 5 + aRows * lda, 0.3);
                float[] b = random(rnd, 2 + bRows * ldb, 0);
                float[] c = random(rnd, 4 + m * ldc, 0);
                float[] c0 = c.clone();
                if (variant == 0) {
                    g.nn(m, n, k, a, 5, lda, b, 2, ldb, c, 4, ldc, acc);
                } else if (variant == 1) {
                    g.tn(m, n, k, a, 5, lda, b, 2, ldb, c, 4, ldc, acc);
                } else {
                    g.nt(m, n, k, a, 5, lda, b, 2, ldb, c, 4, ldc, acc);
                }
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = acc ? c0[4 + i * ldc + j] : 0;
                        for (int p = 0; p < k; p++) {
                            double av = variant == 1 ? a[5 + p * lda + i] : a[5 + i * lda + p];
                            double bv = variant == 2 ? b[2 + j * ldb + p] : b[2 + p * ldb + j];
                            s += av * bv;
                        }
                        assertThat((double) c[4 + i * ldc + j]).as("variant %d acc %s (%d,%d)", variant, acc, i, j)
                                .isCloseTo(s, org.assertj.core.api.Assertions.within(1e-4 * (1 + Math.sqrt(k))));
                    }
                    // Padding between rows and the offset are untouched.
                    for (int j = n; j < ldc && 4 + i * ldc + j < c.length; j++) {
                        assertThat(c[4 + i * ldc + j]).isEqualTo(c0[4 + i * ldc + j]);
                    }
                }
                for (int q = 0; q < 4; q++) {
                    assertThat(c[q]).isEqualTo(c0[q]);
                }
            }
        }
    }

    private static float[] random(SplittableRandom rnd, int len, double zeroFraction) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = rnd.nextDouble() < zeroFraction ? 0f : (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }
}
