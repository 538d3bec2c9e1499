package org.scaleml.bp.ldpc;

import java.util.SplittableRandom;

/**
 * BPSK over an additive white Gaussian noise channel, with seeded noise: bit {@code 0} is sent as {@code +1} and bit
 * {@code 1} as {@code -1} (symbol energy {@code Es = 1}), and the receiver sees {@code y = x + n}, {@code n ~ N(0,
 * sigma^2)}.
 *
 * <h2>Noise level</h2>
 * With {@code N0 = 2 sigma^2}: given {@code Es/N0} in dB ({@link #ofSnrDb}), {@code sigma^2 = 1 / (2 * 10^(snr/10))};
 * given {@code Eb/N0} in dB and the code rate {@code R} ({@link #ofEbN0Db}), {@code Es = R Eb} so
 * {@code sigma^2 = 1 / (2 R 10^(ebn0/10))} [1, ch. 47]. The channel log-likelihood ratio of a received value is
 * {@code L = log P(y | 0) / P(y | 1) = 2 y / sigma^2} (positive favours bit 0).
 *
 * <p>Not thread-safe (it owns a {@link SplittableRandom}); use one channel per thread, or {@link #split()}.
 *
 * <p>[1] D. J. C. MacKay, Information Theory, Inference, and Learning Algorithms, CUP, 2003.
 */
public final class AwgnChannel {
    private final double sigma;
    private final SplittableRandom rng;

    private AwgnChannel(double variance, SplittableRandom rng) {
        if (!(variance > 0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException("noise variance must be positive and finite, got " + variance);
        }
        this.sigma = Math.sqrt(variance);
        this.rng = rng;
    }

    /** A channel at {@code Eb/N0 = ebN0Db} dB for a code of rate {@code rate} in (0, 1]. */
    public static AwgnChannel ofEbN0Db(double ebN0Db, double rate, long seed) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("code rate must be in (0, 1], got " + rate);
        }
        return new AwgnChannel(1.0 / (2 * rate * Math.pow(10, ebN0Db / 10)), new SplittableRandom(seed));
    }

    /** A channel at {@code Es/N0 = snrDb} dB (per transmitted symbol). */
    public static AwgnChannel ofSnrDb(double snrDb, long seed) {
        return new AwgnChannel(1.0 / (2 * Math.pow(10, snrDb / 10)), new SplittableRandom(seed));
    }

    /** A channel with noise variance {@code sigma^2}. */
    public static AwgnChannel ofVariance(double variance, long seed) {
        return new AwgnChannel(variance, new SplittableRandom(seed));
    }

    /** An independent channel with the same noise level and a split-off random stream. */
    public AwgnChannel split() {
        return new AwgnChannel(sigma * sigma, rng.split());
    }

    /** Noise standard deviation. */
    public double sigma() {
        return sigma;
    }

    /** Noise variance {@code sigma^2}. */
    public double noiseVariance() {
        return sigma * sigma;
    }

    /** Sends {@code bits} (0/1): the received values {@code (1 - 2 b) + noise}, written into {@code out}. */
    public double[] transmit(int[] bits, double[] out) {
        for (int i = 0; i < bits.length; i++) {
            out[i] = (1 - 2 * bits[i]) + sigma * rng.nextGaussian();
        }
        return out;
    }

    /** Channel LLRs {@code 2 y / sigma^2} of received values, written into {@code out} (may be {@code y}). */
    public double[] llr(double[] y, double[] out) {
        double k = 2 / (sigma * sigma);
        for (int i = 0; i < y.length; i++) {
            out[i] = k * y[i];
        }
        return out;
    }

    /** Sends {@code bits} and returns the channel LLRs (a new array). */
    public double[] transmitLlr(int[] bits) {
        double[] y = transmit(bits, new double[bits.length]);
        return llr(y, y);
    }
}
