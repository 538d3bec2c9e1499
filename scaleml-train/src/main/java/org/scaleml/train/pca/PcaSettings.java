package org.scaleml.train.pca;

import java.util.Locale;
import java.util.Objects;

import org.scaleml.comm.codec.Codecs;

/**
 * What a distributed PCA run computes and how it communicates.
 *
 * @param k             principal components wanted, at least 1
 * @param oversample    extra columns iterated along with the {@code k} (block size {@code k + oversample}); they
 *                      speed up convergence when {@code lambda_{k+1}} is close to {@code lambda_k}
 * @param codec         codec specification of every message ({@link Codecs#create}), e.g. {@code fp32} or
 *                      {@code qsgd:bits=4,norm=max}; messages are differences to the receiver's reconstruction
 * @param method        {@link Method#POWER} (subspace iteration) or {@link Method#RIEMANNIAN} (gradient ascent)
 * @param step          Riemannian step as a fraction of {@code 1 / rho}, {@code rho} the current largest Rayleigh
 *                      quotient, in {@code (0, 1]}; ignored by the power method
 * @param maxIterations iterations at most, at least 1
 * @param tolerance     stop when the largest principal angle between consecutive answers (top-{@code k} Ritz
 *                      subspaces of consecutive iterates) is at most this (radians; 0: never)
 * @param targetAngle   stop when the largest principal angle to {@code reference} is at most this (radians;
 *                      0: never); needs a reference
 * @param reference     the exact top-{@code k} subspace to measure against, or null
 * @param centering     how the data are centered (see {@link Centering})
 * @param predict       extrapolate every message geometrically from the last two steps both sides know, and
 *                      encode only the error of that prediction (the differences of a converging iteration shrink
 *                      by a nearly constant factor, so the prediction removes most of them)
 * @param seed          seed of the initial block, the sharding and the codecs' random streams
 */
public record PcaSettings(int k, int oversample, String codec, Method method, double step, int maxIterations,
                          double tolerance, double targetAngle, Subspace reference, Centering centering,
                          boolean predict, long seed) {

    /** How the leader turns the summed products into the next iterate. */
    public enum Method {
        /** Subspace (block power) iteration: {@code V <- orth(A V)}; the answer is read off by Rayleigh-Ritz. */
        POWER,
        /** Riemannian gradient ascent of {@code tr(V^T A V)}, retracted by QR: {@code V <- orth(V + eta G)}. */
        RIEMANNIAN;

        /** The lower-case name used on the command line. */
        public String flag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How the rows are centered. */
    public enum Centering {
        /**
         * By the global mean: the principal components of the data set. Each worker sends the leader its row count
         * and column sums once, in fp32 ({@code 4 + 4d} bytes).
         */
        GLOBAL,
        /**
         * Each shard by its own mean, and the between-shard scatter {@code sum_i n_i (mu_i - mu)(mu_i - mu)^T}
         * left out: no column sums are sent, at the price of a bias that shrinks with the shard size (measured on
         * random shards of 4 workers: 3.4e-5 rad for Fashion-MNIST k = 1, 2.5e-4 for k = 10, 1.6e-4 for a9a k = 1).
         */
        LOCAL,
        /** Not at all: uncentered second moments {@code sum_r x_r x_r^T}. */
        NONE;

        /** The lower-case name used on the command line. */
        public String flag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The default codec: QSGD at 3 bits (levels -3..3), scaled by each bucket's largest magnitude, one bucket per
     * column up to 1024 features. Max scaling keeps the relative error of one message near 0.3, below 1, which the
     * difference scheme needs to contract (L2 scaling over long buckets does not).
     */
    public static final String DEFAULT_CODEC = "qsgd:bits=3,bucket=1024,norm=max";

    /** Checks every field; the messages name the field. */
    public PcaSettings {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(centering, "centering");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (oversample < 0) {
            throw new IllegalArgumentException("oversample must be at least 0, got " + oversample);
        }
        if (!(step > 0 && step <= 1)) {
            throw new IllegalArgumentException("step must be in (0, 1], got " + step);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("max iterations must be at least 1, got " + maxIterations);
        }
        if (!(tolerance >= 0 && tolerance < Math.PI)) {
            throw new IllegalArgumentException("tolerance must be in [0, pi), got " + tolerance);
        }
        if (!(targetAngle >= 0 && targetAngle < Math.PI)) {
            throw new IllegalArgumentException("target angle must be in [0, pi), got " + targetAngle);
        }
        if (targetAngle > 0 && reference == null) {
            throw new IllegalArgumentException("a target angle needs a reference subspace");
        }
        if (reference != null && reference.dimension() != k) {
            throw new IllegalArgumentException("the reference has dimension " + reference.dimension() + ", k is " + k);
        }
        Codecs.create(codec, 0); // fails on a bad specification, naming it
    }

    /** Power method, no oversampling, 500 iterations, tolerance 1e-6, centered, predicted, no reference, seed 42. */
    public static PcaSettings of(int k, String codec) {
        return new PcaSettings(k, 0, codec, Method.POWER, 1.0, 500, 1e-6, 0, null, Centering.GLOBAL, true, 42);
    }

    public PcaSettings withOversample(int p) {
        return new PcaSettings(k, p, codec, method, step, maxIterations, tolerance, targetAngle, reference, centering,
                predict, seed);
    }

    public PcaSettings withMethod(Method mth, double stp) {
        return new PcaSettings(k, oversample, codec, mth, stp, maxIterations, tolerance, targetAngle, reference,
                centering, predict, seed);
    }

    public PcaSettings withStopping(int maxIters, double tol) {
        return new PcaSettings(k, oversample, codec, method, step, maxIters, tol, targetAngle, reference, centering,
                predict, seed);
    }

    /** With a reference to report the angle to, and (if {@code target > 0}) to stop at. */
    public PcaSettings withReference(Subspace ref, double target) {
        return new PcaSettings(k, oversample, codec, method, step, maxIterations, tolerance, target, ref, centering,
                predict, seed);
    }

    public PcaSettings withCodec(String c) {
        return new PcaSettings(k, oversample, c, method, step, maxIterations, tolerance, targetAngle, reference,
                centering, predict, seed);
    }

    public PcaSettings withCentering(Centering c) {
        return new PcaSettings(k, oversample, codec, method, step, maxIterations, tolerance, targetAngle, reference,
                c, predict, seed);
    }

    public PcaSettings withSeed(long s) {
        return new PcaSettings(k, oversample, codec, method, step, maxIterations, tolerance, targetAngle, reference,
                centering, predict, s);
    }

    public PcaSettings withPredict(boolean p) {
        return new PcaSettings(k, oversample, codec, method, step, maxIterations, tolerance, targetAngle, reference,
                centering, p, seed);
    }

    /** Columns iterated: {@code k + oversample}. */
    public int block() {
        return k + oversample;
    }
}
