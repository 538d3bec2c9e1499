package org.scaleml.comm.collective;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class GossipAveragerTest {
    /** Largest |x_r[i] - mean[i]| over ranks and elements. */
    static double spread(List<float[]> xs, double[] mean) {
        double s = 0;
        for (float[] x : xs) {
            for (int i = 0; i < x.length; i++) {
                s = Math.max(s, Math.abs(x[i] - mean[i]));
            }
        }
        return s;
    }

    static double[] mean(float[][] xs, int n) {
        double[] m = Data.sum(xs, n);
        for (int i = 0; i < n; i++) {
            m[i] /= xs.length;
        }
        return m;
    }

    @Test
    void matchingsArePerfectRandomAndTheSameForEveryone() {
        for (int p : new int[] {1, 2, 3, 5, 6, 7, 8}) {
            Set<String> seen = new HashSet<>();
            for (long t = 0; t < 50; t++) {
                int[] m = GossipAverager.matching(7, t, p);
                assertThat(m).isEqualTo(GossipAverager.matching(7, t, p));
                int out = 0;
                for (int r = 0; r < p; r++) {
                    if (m[r] < 0) {
                        out++;
                    } else {
                        assertThat(m[r]).isNotEqualTo(r);
                        assertThat(m[m[r]]).isEqualTo(r);
                    }
                }
                assertThat(out).isEqualTo(p % 2);
                seen.add(java.util.Arrays.toString(m));
            }
            if (p >= 4) {
                assertThat(seen.size()).as("P = " + p + ": matchings vary by round").isGreaterThan(5);
            }
        }
    }

    @Test
    void exactRoundsPreserveTheSumAndConvergeToTheMean() {
        for (int p : new int[] {2, 3, 5, 8}) {
            int n = 1001;
            int rounds = 60;
            float[][] in = new float[p][];
            for (int r = 0; r < p; r++) {
                in[r] = Data.uniform(p, r, n);
            }
            double[] mean = mean(in, n);
            List<Object[]> out = Ranks.run(p, comm -> {
                GossipAverager g = new GossipAverager(comm, 3);
                float[] x = in[comm.rank()].clone();
                float[] afterFirst = null;
                int firstPartner = 0;
                for (int t = 0; t < rounds; t++) {
                    int partner = g.average(x);
                    if (t == 0) {
                        afterFirst = x.clone();
                        firstPartner = partner;
                    }
                }
                assertThat(g.rounds()).isEqualTo(rounds);
                return new Object[] {x, afterFirst, firstPartner};
            });
            // after round 0, partners hold the same vector bit for bit
            for (int r = 0; r < p; r++) {
                int partner = (int) out.get(r)[2];
                assertThat(partner).isEqualTo(GossipAverager.matching(3, 0, p)[r]);
                if (partner >= 0) {
                    assertThat(Data.bits((float[]) out.get(r)[1])).isEqualTo(Data.bits((float[]) out.get(partner)[1]));
                } else {
                    assertThat((float[]) out.get(r)[1]).isEqualTo(in[r]);
                }
            }
            List<float[]> xs = out.stream().map(o -> (float[]) o[0]).toList();
            double[] finalMean = mean(xs.toArray(new float[0][]), n);
            for (int i = 0; i < n; i++) {
                assertThat(finalMean[i]).as("P=" + p + " mean [" + i + "]")
                        .isCloseTo(mean[i], org.assertj.core.api.Assertions.within(rounds * 2 * Data.U));
            }
            double before = spread(List.of(in), mean);
            assertThat(spread(xs, mean)).as("P = " + p).isLessThan(1e-4 * before);
        }
    }

    @Test
    void aLosslessCodecAveragesExactlyLikeNoCodec() {
        int p = 6;
        int n = 333;
        List<float[][]> out = Ranks.run(p, comm -> {
            GossipAverager plain = new GossipAverager(comm, 5);
            GossipAverager fp32 = new GossipAverager(comm, 5, "fp32");
            float[] a = Data.uniform(2, comm.rank(), n);
            float[] b = a.clone();
            for (int t = 0; t < 10; t++) {
                plain.average(a);
                fp32.average(b);
            }
            return new float[][] {a, b};
        });
        for (float[][] ab : out) {
            assertThat(Data.bits(ab[1])).isEqualTo(Data.bits(ab[0]));
        }
    }

    @Test
    void compressedRoundsPreserveTheMeanAndAgreeUpToTheCodecsError() {
        int p = 7;
        int n = 4096;
        int rounds = 40;
        float[][] in = new float[p][];
        for (int r = 0; r < p; r++) {
            in[r] = Data.uniform(8, r, n);
        }
        double[] mean = mean(in, n);
        List<float[]> out = Ranks.run(p, comm -> {
            GossipAverager g = new GossipAverager(comm, 11, "maxmin:bits=8,bucket=256");
            float[] x = in[comm.rank()].clone();
            for (int t = 0; t < rounds; t++) {
                g.average(x);
            }
            return x;
        });
        double[] finalMean = mean(out.toArray(new float[0][]), n);
        for (int i = 0; i < n; i++) {
            assertThat(finalMean[i]).isCloseTo(mean[i], org.assertj.core.api.Assertions.within(rounds * 4 * Data.U));
        }
        // 8-bit max-min levels over a range of about 2 are 2/255 apart: agreement to a few levels
        double before = spread(List.of(in), mean);
        double after = spread(out, mean);
        assertThat(after).isLessThan(0.03 * before);
    }
}
