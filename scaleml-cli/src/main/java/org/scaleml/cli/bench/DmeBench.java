package org.scaleml.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.scaleml.comm.collective.MeanEstimation;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.comm.transport.InProcessNetwork;

/**
 * {@code scaleml bench dme}: distributed mean estimation ({@link MeanEstimation}) of {@code world} ranks in this
 * JVM (one thread per rank, in-process transport), with any codec.
 *
 * <h2>Method</h2>
 * Rank r's vector is {@code x_r[i] = offset + spread * z_{r,i}}, with {@code z} standard Gaussian (or, by
 * {@link Noise}, uniform with the same variance, or Gaussian plus rare spikes), fixed by ({@code seed}, r). Each
 * round builds a fresh network and runs one {@link MeanEstimation#estimate} per rank (codec seed
 * {@code seed + round}), timing the slowest rank. The error is measured against the exact mean (in double):
 * {@code meanError = sqrt(sum over ranks r and elements i of (est_r[i] - mean[i])^2 / (world * elements))}.
 * {@code bitsPerElement = 8 * bytesSent / (2 (world - 1) elements)}: the bits of every vector moved (world - 1 up,
 * world - 1 down), control bytes and retries included. Medians over {@code repeats} rounds are reported.
 */
public final class DmeBench {
    private DmeBench() {
    }

    /** How the ranks' vectors differ from the common offset. */
    public enum Noise {
        /** spread * N(0, 1) per coordinate. */
        GAUSSIAN,
        /** Uniform in [-sqrt(3) spread, sqrt(3) spread] (variance spread^2). */
        UNIFORM,
        /** Gaussian, plus 30 spread on one coordinate in 1000 (at random per rank). */
        SPIKY
    }

    /** What to run. */
    public record Settings(int world, int elements, double offset, double spread, Noise noise, int repeats,
                           long seed) {
    }

    /**
     * The figures of one codec.
     *
     * @param bitsPerElement median bits per element of each vector moved
     * @param meanError      median RMS error of every rank's estimate against the exact mean
     * @param meanErrorRuns  every round's meanError
     * @param bytesSent      median bytes sent by all ranks in a round
     * @param retries        median step doublings per round (all ranks' retries, counted once: the leader's)
     * @param millis         median round time, slowest rank
     */
    public record Result(String codec, int world, int elements, double offset, double spread, Noise noise,
                         double bitsPerElement, double meanError, double[] meanErrorRuns, long bytesSent,
                         long retries, double millis) {
    }

    /** Rank r's input. */
    public static float[] input(Settings s, int rank) {
        SplittableRandom g = new SplittableRandom(s.seed() * 0x9E3779B97F4A7C15L + rank);
        float[] x = new float[s.elements()];
        double sq3 = Math.sqrt(3);
        for (int i = 0; i < x.length; i++) {
            double z;
            if (s.noise() == Noise.UNIFORM) {
                z = sq3 * (2 * g.nextDouble() - 1);
            } else {
                double u1 = 1 - g.nextDouble();
                double u2 = g.nextDouble();
                z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
                if (s.noise() == Noise.SPIKY && g.nextInt(1000) == 0) {
                    z += g.nextBoolean() ? 30 : -30;
                }
            }
            x[i] = (float) (s.offset() + s.spread() * z);
        }
        return x;
    }

    /** Runs {@code repeats} rounds of the codec {@code spec}. */
    public static Result run(String spec, Settings s) throws InterruptedException {
        final int w = s.world();
        final int n = s.elements();
        float[][] in = new float[w][];
        double[] mean = new double[n];
        for (int r = 0; r < w; r++) {
            in[r] = input(s, r);
            for (int i = 0; i < n; i++) {
                mean[i] += in[r][i];
            }
        }
        for (int i = 0; i < n; i++) {
            mean[i] /= w;
        }
        int reps = s.repeats();
        double[] err = new double[reps];
        double[] bits = new double[reps];
        double[] millis = new double[reps];
        long[] bytes = new long[reps];
        long[] retries = new long[reps];
        String canonical = spec;
        float[][] est = new float[w][n];
        ExecutorService pool = Executors.newFixedThreadPool(w, r -> {
            Thread t = new Thread(r, "scaleml-dme-rank");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int k = 0; k < reps; k++) {
                InProcessNetwork net = new InProcessNetwork(w, 0, 0, InProcessNetwork.DEFAULT_TIMEOUT_NANOS * 6,
                        InProcessNetwork.DEFAULT_MAX_FRAME);
                List<Future<Object[]>> fs = new ArrayList<>();
                final long seed = s.seed() + k;
                for (int r = 0; r < w; r++) {
                    final int rank = r;
                    Communicator comm = new Communicator(net.endpoint(r));
                    fs.add(pool.submit(() -> {
                        MeanEstimation m = new MeanEstimation(comm, spec, seed);
                        System.arraycopy(in[rank], 0, est[rank], 0, n);
                        long t0 = System.nanoTime();
                        MeanEstimation.Outcome o = m.estimate(est[rank]);
                        return new Object[] {o, System.nanoTime() - t0, m.codecSpec()};
                    }));
                }
                long slowest = 0;
                for (int r = 0; r < w; r++) {
                    Object[] res = get(fs.get(r));
                    MeanEstimation.Outcome o = (MeanEstimation.Outcome) res[0];
                    bytes[k] += o.bytesSent();
                    if (r == 0) {
                        retries[k] = o.retries();
                    }
                    slowest = Math.max(slowest, (Long) res[1]);
                    canonical = (String) res[2];
                }
                millis[k] = slowest / 1e6;
                bits[k] = w == 1 ? 0 : 8.0 * bytes[k] / (2.0 * (w - 1) * n);
                double sq = 0;
                for (int r = 0; r < w; r++) {
                    float[] e = est[r];
                    for (int i = 0; i < n; i++) {
                        double d = e[i] - mean[i];
                        sq += d * d;
                    }
                }
                err[k] = Math.sqrt(sq / ((double) w * Math.max(1, n)));
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(canonical, w, n, s.offset(), s.spread(), s.noise(), median(bits), median(err), err,
                (long) median(toDouble(bytes)), (long) median(toDouble(retries)), median(millis));
    }

    private static Object[] get(Future<Object[]> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException ? (RuntimeException) c : new IllegalStateException(c);
        }
    }

    private static double[] toDouble(long[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
