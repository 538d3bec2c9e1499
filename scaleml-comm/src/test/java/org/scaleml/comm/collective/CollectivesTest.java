package org.scaleml.comm.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scaleml.comm.transport.InProcessNetwork;

class CollectivesTest {
    /** Lengths: empty, one, below the world size, odd, and one long vector. */
    static final int[] LENGTHS = {0, 1, 2, 3, 5, 7, 13, 1001};
    static final int LONG = 100_003;

    static Stream<Arguments> worlds() {
        return IntStream.rangeClosed(1, 8).mapToObj(Arguments::of);
    }

    @ParameterizedTest(name = "P = {0}")
    @MethodSource("worlds")
    void allreduceMatchesTheSequentialSumOnEveryRankBitForBit(int p) {
        int[] lengths = IntStream.concat(Arrays.stream(LENGTHS), IntStream.of(LONG)).toArray();
        for (Allreduce.Algorithm alg : Allreduce.Algorithm.values()) {
            for (int n : lengths) {
                if (n == LONG && alg == Allreduce.Algorithm.AUTO) {
                    continue;
                }
                long seed = 17L * n + p;
                float[][] in = new float[p][];
                for (int r = 0; r < p; r++) {
                    in[r] = Data.uniform(seed, r, n);
                }
                List<float[]> out = Ranks.run(p, comm -> {
                    float[] x = in[comm.rank()].clone();
                    new Collectives(comm).allreduce(x, alg);
                    return x;
                });
                String what = alg + ", P = " + p + ", n = " + n;
                for (int r = 1; r < p; r++) {
                    assertThat(Data.bits(out.get(r))).as(what + ", rank " + r).isEqualTo(Data.bits(out.get(0)));
                }
                Data.assertNearSum(out.get(0), 0, in, 0, n, what);
            }
        }
    }

    @ParameterizedTest(name = "P = {0}")
    @MethodSource("worlds")
    void allreduceOfIntegersIsExactWithBothAlgorithmsAndSlices(int p) {
        for (Allreduce.Algorithm alg : List.of(Allreduce.Algorithm.RING, Allreduce.Algorithm.RECURSIVE_DOUBLING)) {
            for (int n : new int[] {0, 1, p - 1, p + 1, 997}) {
                if (n < 0) {
                    continue;
                }
                float[][] in = new float[p][];
                for (int r = 0; r < p; r++) {
                    in[r] = Data.integers(n + 5L * p, r, n + 6);
                }
                double[] exact = Data.sum(in, n + 6);
                List<float[]> out = Ranks.run(p, comm -> {
                    float[] x = in[comm.rank()].clone();
                    new Collectives(comm).allreduce(x, 3, n, alg); // a slice: the 3 before and 3 after stay
                    return x;
                });
                for (int r = 0; r < p; r++) {
                    float[] x = out.get(r);
                    for (int i = 0; i < n + 6; i++) {
                        float want = i < 3 || i >= n + 3 ? in[r][i] : (float) exact[i];
                        assertThat(x[i]).as(alg + " P=" + p + " n=" + n + " rank " + r + " [" + i + "]")
                                .isEqualTo(want);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "P = {0}")
    @MethodSource("worlds")
    void reduceScatterLeavesChunkROfTheSumOnRankR(int p) {
        for (int n : new int[] {0, 1, 2, 3, 7, 13, 1001, LONG}) {
            float[][] in = new float[p][];
            for (int r = 0; r < p; r++) {
                in[r] = Data.uniform(3L * n + p, r, n);
            }
            List<float[]> out = Ranks.run(p, comm -> {
                float[] x = in[comm.rank()].clone();
                new Collectives(comm).reduceScatter(x);
                return x;
            });
            int covered = 0;
            for (int r = 0; r < p; r++) {
                int start = Chunks.start(n, p, r);
                int len = Chunks.length(n, p, r);
                assertThat(start).isEqualTo(covered);
                covered += len;
                Data.assertNearSum(Arrays.copyOfRange(out.get(r), start, start + len), 0, in, start, len,
                        "reduce-scatter P=" + p + " n=" + n + " rank " + r);
            }
            assertThat(covered).isEqualTo(n);
        }
    }

    @Test
    void chunksFollowTheDocumentedRule() {
        assertThat(IntStream.range(0, 4).map(c -> Chunks.length(10, 4, c)).toArray()).containsExactly(3, 3, 2, 2);
        assertThat(IntStream.range(0, 4).map(c -> Chunks.start(10, 4, c)).toArray()).containsExactly(0, 3, 6, 8);
        assertThat(IntStream.range(0, 5).map(c -> Chunks.length(3, 5, c)).toArray()).containsExactly(1, 1, 1, 0, 0);
        assertThat(IntStream.range(0, 5).map(c -> Chunks.start(3, 5, c)).toArray()).containsExactly(0, 1, 2, 3, 3);
        assertThat(Chunks.length(0, 3, 2)).isZero();
    }

    @ParameterizedTest(name = "P = {0}")
    @MethodSource("worlds")
    void broadcastCopiesTheRootsDataEverywhere(int p) {
        for (int n : new int[] {0, 1, 5, 1001, 40_000}) { // 40,000 floats take the scatter-allgather path
            for (int root : new int[] {0, p - 1, p / 2}) {
                float[] src = Data.uniform(n + root, 99, n);
                List<float[]> out = Ranks.run(p, comm -> {
                    float[] x = comm.rank() == root ? src.clone() : new float[n];
                    new Collectives(comm).broadcast(root, x);
                    return x;
                });
                for (int r = 0; r < p; r++) {
                    assertThat(Data.bits(out.get(r))).as("P=" + p + " n=" + n + " root " + root + " rank " + r)
                            .isEqualTo(Data.bits(src));
                }
            }
        }
    }

    @ParameterizedTest(name = "P = {0}")
    @MethodSource("worlds")
    void broadcastOfBytesAndAllgatherOfVariableBlocks(int p) {
        int root = p / 2;
        byte[] msg = new byte[777];
        new java.util.Random(p).nextBytes(msg);
        List<Object[]> out = Ranks.run(p, comm -> {
            Collectives c = new Collectives(comm);
            byte[] got = c.broadcast(root, comm.rank() == root ? msg : null);
            byte[] mine = new byte[comm.rank() * 3]; // rank 0 contributes an empty block
            Arrays.fill(mine, (byte) comm.rank());
            byte[][] all = c.allgather(mine);
            float[][] allF = c.allgather(Data.uniform(7, comm.rank(), comm.rank() % 3));
            return new Object[] {got, all, allF};
        });
        for (int r = 0; r < p; r++) {
            assertThat((byte[]) out.get(r)[0]).isEqualTo(msg);
            byte[][] all = (byte[][]) out.get(r)[1];
            float[][] allF = (float[][]) out.get(r)[2];
            assertThat(all.length).isEqualTo(p);
            assertThat(allF.length).isEqualTo(p);
            for (int i = 0; i < p; i++) {
                byte[] want = new byte[i * 3];
                Arrays.fill(want, (byte) i);
                assertThat(all[i]).isEqualTo(want);
                assertThat(allF[i]).containsExactly(Data.uniform(7, i, i % 3));
            }
        }
    }

    @Test
    void barrierReleasesNoRankBeforeEveryRankEntered() {
        for (int p : new int[] {1, 2, 3, 5, 8}) {
            List<long[]> t = Ranks.run(p, comm -> {
                sleep(15L * ((comm.rank() * 3) % p));
                long enter = System.nanoTime();
                new Collectives(comm).barrier();
                return new long[] {enter, System.nanoTime()};
            });
            long lastEnter = t.stream().mapToLong(a -> a[0]).max().orElseThrow();
            long firstExit = t.stream().mapToLong(a -> a[1]).min().orElseThrow();
            assertThat(firstExit).as("P = " + p).isGreaterThanOrEqualTo(lastEnter);
        }
    }

    @Test
    void messagesLongerThanTheFrameLimitAreSplit() {
        int p = 5;
        InProcessNetwork net = new InProcessNetwork(p, 0, 0, TimeUnit.SECONDS.toNanos(2), 64);
        int n = 20_000; // 80 KB: above the broadcast threshold, so scatter-allgather runs too
        float[][] in = new float[p][];
        for (int r = 0; r < p; r++) {
            in[r] = Data.integers(5, r, n);
        }
        double[] exact = Data.sum(in, n);
        int[] blockSizes = {0, 63, 64, 65, 128, 200};
        List<Object[]> out = Ranks.run(net, comm -> {
            Collectives c = new Collectives(comm);
            float[] a = in[comm.rank()].clone();
            float[] b = in[comm.rank()].clone();
            c.allreduce(a, Allreduce.Algorithm.RING);
            c.allreduce(b, Allreduce.Algorithm.RECURSIVE_DOUBLING);
            float[] bc = comm.rank() == 1 ? in[1].clone() : new float[n];
            c.broadcast(1, bc);
            byte[] blk = c.broadcast(2, comm.rank() == 2 ? new byte[130] : null);
            byte[][] all = c.allgather(new byte[blockSizes[comm.rank()]]);
            return new Object[] {a, b, bc, blk, all};
        });
        for (Object[] o : out) {
            for (int i = 0; i < n; i++) {
                assertThat(((float[]) o[0])[i]).isEqualTo((float) exact[i]);
                assertThat(((float[]) o[1])[i]).isEqualTo((float) exact[i]);
            }
            assertThat((float[]) o[2]).containsExactly(in[1]);
            assertThat((byte[]) o[3]).hasSize(130);
            byte[][] all = (byte[][]) o[4];
            for (int i = 0; i < p; i++) {
                assertThat(all[i]).hasSize(blockSizes[i]);
            }
        }
    }

    @Test
    void ringAllreduceSendsTwoTimesPMinusOneOverPOfTheVector() {
        for (int p : new int[] {2, 3, 5, 8}) {
            int n = 100_000;
            List<long[]> bytes = Ranks.run(p, comm -> {
                Collectives c = new Collectives(comm);
                float[] x = Data.uniform(1, comm.rank(), n);
                comm.resetCounters();
                c.allreduce(x, Allreduce.Algorithm.RING);
                long ring = comm.bytesSent();
                comm.resetCounters();
                c.allreduce(x, Allreduce.Algorithm.RECURSIVE_DOUBLING);
                return new long[] {ring, comm.bytesSent()};
            });
            double ideal = 2.0 * (p - 1) / p * 4 * n;
            int pp = Integer.highestOneBit(p);
            int log = Integer.numberOfTrailingZeros(pp);
            for (int r = 0; r < p; r++) {
                assertThat((double) bytes.get(r)[0]).as("ring, P=" + p + " rank " + r)
                        .isBetween(ideal * 0.99, ideal * 1.01);
                long rd = bytes.get(r)[1];
                boolean folds = r < 2 * (p - pp);
                long want = folds && (r & 1) == 0 ? 4L * n : 4L * n * log + (folds ? 4L * n : 0);
                assertThat(rd).as("recursive doubling, P=" + p + " rank " + r).isEqualTo(want);
            }
        }
    }

    @Test
    void autoPicksRecursiveDoublingForShortMessagesAndTwoRanks() {
        assertThat(Allreduce.choose(16 << 10, 8)).isEqualTo(Allreduce.Algorithm.RECURSIVE_DOUBLING);
        assertThat(Allreduce.choose((16 << 10) + 1, 8)).isEqualTo(Allreduce.Algorithm.RING);
        assertThat(Allreduce.choose(1 << 20, 2)).isEqualTo(Allreduce.Algorithm.RECURSIVE_DOUBLING);
    }

    @Test
    void badArgumentsFailLocallyWithoutCommunicating() {
        InProcessNetwork net = Ranks.network(2);
        Collectives c = new Collectives(new org.scaleml.comm.transport.Communicator(net.endpoint(0)));
        assertThatThrownBy(() -> c.broadcast(2, new float[1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("root 2");
        assertThatThrownBy(() -> c.allreduce(new float[3], 2, 2, Allreduce.Algorithm.RING))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
