package org.scaleml.comm.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SparseAllreduceTest {
    static Stream<Arguments> worlds() {
        return IntStream.rangeClosed(1, 8).mapToObj(Arguments::of);
    }

    /** A random sparse vector: each index present with probability {@code density}, integer values. */
    static SparseVector random(long seed, int rank, int n, double density, boolean integers) {
        Random rnd = new Random(seed * 7919 + rank);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            if (rnd.nextDouble() < density) {
                float v = integers ? rnd.nextInt(2001) - 1000 : rnd.nextFloat() * 2 - 1;
                d[i] = v == 0 ? 1 : v;
            }
        }
        return SparseVector.fromDense(d);
    }

    static int unionSize(SparseVector[] in, int n) {
        boolean[] u = new boolean[n];
        for (SparseVector v : in) {
            for (int k = 0; k < v.nnz(); k++) {
                u[v.index(k)] = true;
            }
        }
        int c = 0;
        for (boolean b : u) {
            c += b ? 1 : 0;
        }
        return c;
    }

    static List<SparseAllreduce.Result> run(SparseVector[] in, SparseAllreduce.Algorithm alg, double threshold) {
        return Ranks.run(in.length, comm -> new SparseAllreduce(comm, threshold).allreduce(in[comm.rank()], alg));
    }

    static void assertSameEverywhere(List<SparseAllreduce.Result> out, String what) {
        SparseAllreduce.Result first = out.get(0);
        for (int r = 1; r < out.size(); r++) {
            SparseAllreduce.Result x = out.get(r);
            assertThat(x.isDense()).as(what + " rank " + r).isEqualTo(first.isDense());
            if (first.isDense()) {
                assertThat(Data.bits(x.dense())).as(what + " rank " + r).isEqualTo(Data.bits(first.dense()));
            } else {
                assertThat(x.sparse().indices()).as(what + " rank " + r).isEqualTo(first.sparse().indices());
                assertThat(Data.bits(x.sparse().values())).as(what + " rank " + r)
                        .isEqualTo(Data.bits(first.sparse().values()));
            }
        }
    }

    @ParameterizedTest(name = "P = {0}")
    @MethodSource("worlds")
    void integerSumsAreExactBelowAndAboveTheSwitch(int p) {
        for (int n : new int[] {0, 1, 3, 7, 1000, 20_011}) {
            // per-rank densities: far below the switch, near it after merging, above it from the start
            for (double density : new double[] {0.003, 0.05, 0.2, 0.7}) {
                for (double threshold : new double[] {SparseAllreduce.DEFAULT_DENSE_THRESHOLD, 0.0, 2.0}) {
                    SparseVector[] in = new SparseVector[p];
                    float[][] dense = new float[p][];
                    for (int r = 0; r < p; r++) {
                        in[r] = random(n + (long) (density * 1000), r, n, density, true);
                        dense[r] = in[r].toDense();
                    }
                    double[] exact = Data.sum(dense, n);
                    int union = unionSize(in, n);
                    for (SparseAllreduce.Algorithm alg : SparseAllreduce.Algorithm.values()) {
                        String what = alg + " P=" + p + " n=" + n + " density " + density + " threshold "
                                + threshold;
                        List<SparseAllreduce.Result> out = run(in, alg, threshold);
                        assertSameEverywhere(out, what);
                        SparseAllreduce.Result res = out.get(0);
                        float[] got = res.toDense();
                        for (int i = 0; i < n; i++) {
                            assertThat(got[i]).as(what + " [" + i + "]").isEqualTo((float) exact[i]);
                        }
                        boolean shouldBeDense = n > 0 && union >= threshold * n;
                        if (alg == SparseAllreduce.Algorithm.RECURSIVE_DOUBLING) {
                            assertThat(res.isDense()).as(what + " dense").isEqualTo(shouldBeDense);
                        } else if (shouldBeDense) {
                            assertThat(res.isDense()).as(what + " dense").isTrue();
                        }
                        if (!res.isDense() && alg == SparseAllreduce.Algorithm.RECURSIVE_DOUBLING) {
                            assertThat(res.sparse().nnz()).as(what + " union").isEqualTo(union);
                        }
                    }
                }
            }
        }
    }

    @Test
    void floatSumsAgreeWithTheReferenceToRounding() {
        for (int p : new int[] {3, 6, 8}) {
            int n = 30_000;
            for (double density : new double[] {0.01, 0.3}) {
                SparseVector[] in = new SparseVector[p];
                float[][] dense = new float[p][];
                for (int r = 0; r < p; r++) {
                    in[r] = random(p, r, n, density, false);
                    dense[r] = in[r].toDense();
                }
                for (SparseAllreduce.Algorithm alg : SparseAllreduce.Algorithm.values()) {
                    List<SparseAllreduce.Result> out = run(in, alg, SparseAllreduce.DEFAULT_DENSE_THRESHOLD);
                    assertSameEverywhere(out, alg + " P=" + p);
                    Data.assertNearSum(out.get(0).toDense(), 0, dense, 0, n, alg + " P=" + p + " d=" + density);
                }
            }
        }
    }

    @Test
    void sparseInputsSendFarFewerBytesThanDense() {
        int p = 8;
        int n = 100_000;
        SparseVector[] in = new SparseVector[p];
        for (int r = 0; r < p; r++) {
            in[r] = random(1, r, n, 0.001, false); // about 100 entries per rank
        }
        List<long[]> bytes = Ranks.run(p, comm -> {
            SparseAllreduce s = new SparseAllreduce(comm);
            comm.resetCounters();
            SparseAllreduce.Result res = s.allreduce(in[comm.rank()]);
            assertThat(res.isDense()).isFalse();
            return new long[] {comm.bytesSent()};
        });
        for (long[] b : bytes) {
            // recursive doubling: at most 8 (100 + 200 + 400) entries' bytes plus headers, far below 4n log P
            assertThat(b[0]).isLessThan(8 * 1000 * 2);
        }
    }

    @Test
    void chooseTakesSplitAllgatherOnlyForLargeDenseEndingReductions() {
        assertThat(SparseAllreduce.choose(1 << 20, 8, 8 * (1 << 18), 0.5))
                .isEqualTo(SparseAllreduce.Algorithm.SPLIT_ALLGATHER);
        assertThat(SparseAllreduce.choose(1 << 20, 8, 8 * 1000, 0.5))
                .isEqualTo(SparseAllreduce.Algorithm.RECURSIVE_DOUBLING);
        assertThat(SparseAllreduce.choose(1000, 8, 8000, 0.5)).isEqualTo(SparseAllreduce.Algorithm.RECURSIVE_DOUBLING);
        assertThat(SparseAllreduce.choose(1 << 20, 2, 1 << 21, 0.5))
                .isEqualTo(SparseAllreduce.Algorithm.RECURSIVE_DOUBLING);
    }

    @Test
    void sparseVectorChecksItsInvariant() {
        assertThatThrownBy(() -> SparseVector.of(5, new int[] {1, 1}, new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> SparseVector.of(5, new int[] {5}, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside [0, 5)");
        assertThatThrownBy(() -> SparseVector.of(5, new int[] {1}, new float[2]))
                .isInstanceOf(IllegalArgumentException.class);
        SparseVector v = SparseVector.of(6, new int[] {0, 4}, new float[] {2, -3});
        assertThat(v.toDense()).containsExactly(2, 0, 0, 0, -3, 0);
        assertThat(v).isEqualTo(SparseVector.fromDense(v.toDense()));
        assertThat(v.density()).isEqualTo(2.0 / 6);
        float[] acc = new float[8];
        v.addTo(acc, 1);
        assertThat(Arrays.copyOfRange(acc, 1, 7)).containsExactly(2, 0, 0, 0, -3, 0);
    }
}
