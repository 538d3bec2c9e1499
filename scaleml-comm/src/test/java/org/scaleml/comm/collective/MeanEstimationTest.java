package org.scaleml.comm.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.scaleml.comm.codec.Codecs;

class MeanEstimationTest {
    /** x_r = offset + spread * N(0, 1), independent per rank and coordinate. */
    static float[][] inputs(int p, int n, double offset, double spread, long seed) {
        float[][] in = new float[p][n];
        for (int r = 0; r < p; r++) {
            SplittableRandom g = new SplittableRandom(seed * 1000 + r);
            for (int i = 0; i < n; i++) {
                double u1 = 1 - g.nextDouble();
                double u2 = g.nextDouble();
                in[r][i] = (float) (offset + spread * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
            }
        }
        return in;
    }

    record Run(List<float[]> estimates, List<MeanEstimation.Outcome> outcomes) {
    }

    static Run run(String spec, float[][] in) {
        List<Object[]> out = Ranks.run(in.length, comm -> {
            float[] x = in[comm.rank()].clone();
            MeanEstimation.Outcome o = new MeanEstimation(comm, spec, 42).estimate(x);
            return new Object[] {x, o};
        });
        return new Run(out.stream().map(a -> (float[]) a[0]).toList(),
                out.stream().map(a -> (MeanEstimation.Outcome) a[1]).toList());
    }

    static double[] mean(float[][] in) {
        double[] m = new double[in[0].length];
        for (float[] v : in) {
            for (int i = 0; i < m.length; i++) {
                m[i] += v[i];
            }
        }
        for (int i = 0; i < m.length; i++) {
            m[i] /= in.length;
        }
        return m;
    }

    static double rmsError(float[] est, double[] mean) {
        double s = 0;
        for (int i = 0; i < mean.length; i++) {
            s += (est[i] - mean[i]) * (est[i] - mean[i]);
        }
        return Math.sqrt(s / Math.max(1, mean.length));
    }

    /**
     * Lattice with range 8 (step 8/7) on spread-1 inputs around 1000: every rank decodes (differences below 8 by
     * far), all ranks hold the same estimate, and its error is that of P - 1 roundings averaged plus one rounding of
     * the mean, each of variance at most step^2 / 4: RMS at most step / 2 * sqrt(1 + (P - 1) / P^2).
     */
    @ParameterizedTest(name = "P = {0}")
    @ValueSource(ints = {1, 2, 3, 4, 7})
    void everyRankEndsWithTheSameEstimateWithinTheLatticeError(int p) {
        for (String spec : new String[] {"lattice:bits=4,range=8", "lattice:bits=4,range=8,basis=hadamard"}) {
            int n = 20_001;
            float[][] in = inputs(p, n, 1000, 1, p);
            Run run = run(spec, in);
            double[] m = mean(in);
            double step = 8.0 / 7;
            double bound = step / 2 * Math.sqrt(1 + (p - 1.0) / ((double) p * p)) + 1e-3;
            for (int r = 0; r < p; r++) {
                assertThat(run.estimates().get(r)).as(spec + " rank " + r).containsExactly(run.estimates().get(0));
                assertThat(rmsError(run.estimates().get(r), m)).as(spec + " rank " + r).isLessThan(bound);
                assertThat(run.outcomes().get(r).retries()).isZero();
            }
            long bytes = run.outcomes().stream().mapToLong(MeanEstimation.Outcome::bytesSent).sum();
            int payload = Codecs.create(spec, 1).maxEncodedSize(n);
            // each non-leader: one payload up and an ack; the leader: a type byte and a payload down to each
            assertThat(bytes).isEqualTo(2L * (p - 1) * (payload + 1));
        }
    }

    @Test
    void qsgdRunsThroughTheSameProtocolAndIsFarWorseWithALargeOffset() {
        int p = 4;
        int n = 20_000;
        float[][] in = inputs(p, n, 100, 1, 9);
        double[] m = mean(in);
        Run q = run("qsgd:bits=4", in);
        Run l = run("lattice:bits=4,range=8", in);
        for (int r = 1; r < p; r++) {
            assertThat(q.estimates().get(r)).containsExactly(q.estimates().get(0));
        }
        double eq = rmsError(q.estimates().get(0), m);
        double el = rmsError(l.estimates().get(0), m);
        assertThat(eq).isGreaterThan(50 * el);
    }

    /**
     * A step too small for the spread: ranks' payloads fail their check at the leader and are resent with
     * doubled steps until they decode; the mean likewise. The estimate ends within the final step's error.
     */
    @Test
    void aRangeTooSmallIsDetectedAndRetriedWithLargerSteps() {
        int p = 4;
        int n = 10_000;
        float[][] in = inputs(p, n, -50, 1, 3);
        Run run = run("lattice:bits=4,range=0.5", in);
        double[] m = mean(in);
        int retries = run.outcomes().stream().mapToInt(MeanEstimation.Outcome::retries).sum();
        assertThat(retries).isGreaterThan(0);
        double largest = run.outcomes().stream().mapToDouble(MeanEstimation.Outcome::largestStep).max().orElseThrow();
        assertThat(largest).isGreaterThan(0.5 / 7 * 8); // at least three doublings: the spread needs range ~7
        for (int r = 0; r < p; r++) {
            assertThat(rmsError(run.estimates().get(r), m)).as("rank " + r).isLessThan(largest);
        }
        long bytes = run.outcomes().stream().mapToLong(MeanEstimation.Outcome::bytesSent).sum();
        assertThat(bytes).isGreaterThan(2L * (p - 1) * Codecs.create("lattice", 1).maxEncodedSize(n));
    }

    /**
     * One rank 30 away from the others, range 2: its payload needs four doublings up, and the mean (10 away from the
     * others, 20 from it) needs retries down; the leader counts every retry it asked for or served.
     */
    @Test
    void anOutlierRankIsRetriedAlone() {
        int p = 3;
        int n = 5000;
        float[][] in = inputs(p, n, 10, 0.1, 4);
        for (int i = 0; i < n; i++) {
            in[2][i] += 30;
        }
        Run run = run("lattice:bits=4,range=2", in);
        assertThat(run.outcomes().get(2).retries()).isGreaterThanOrEqualTo(4);
        assertThat(run.outcomes().get(0).retries()).isEqualTo(run.outcomes().get(1).retries()
                + run.outcomes().get(2).retries());
        double[] m = mean(in);
        for (int r = 0; r < p; r++) {
            assertThat(rmsError(run.estimates().get(r), m)).as("rank " + r).isLessThan(run.outcomes().get(2)
                    .largestStep());
        }
    }

    @Test
    void emptyVectorsAndBadSpecifications() {
        Run run = run("lattice", new float[3][0]);
        assertThat(run.estimates()).allSatisfy(e -> assertThat(e).isEmpty());
        assertThatThrownBy(() -> Ranks.run(1, comm -> new MeanEstimation(comm, "lattice:bits=1", 1)))
                .hasMessageContaining("bits must be in");
    }
}
