package org.scaleml.concurrent.map;

import java.util.SplittableRandom;

/**
 * Draws ranks 1..n with probability proportional to {@code rank^-s} (Zipf's law with exponent s > 0) in O(1)
 * expected time and O(1) memory, by rejection-inversion. Immutable and thread-safe; the random source is the
 * caller's.
 */
final class ZipfSampler {
    /*
     * W. Hörmann and G. Derflinger, "Rejection-inversion to generate variates from monotone discrete
     * distributions", ACM TOMACS 6(3), 1996. With h(x) = x^-s and H an antiderivative of h, a uniform u between
     * H(n + 1/2) and H(3/2) - h(1) is mapped to x = H^-1(u) and rounded to the nearest integer k; k is accepted
     * when it is close enough to x (k - x <= cut, an interval on which acceptance is certain) or when u lies below
     * H(k + 1/2) - h(k), i.e. inside the area of width 1 and height h(k) that represents k. Accepted k then has
     * probability proportional to h(k); the expected number of tries is below 1.1 for every s and n.
     * H(x) = (x^(1-s) - 1) / (1-s) is evaluated as log(x) * expm1(t)/t with t = (1-s) log x, and its inverse as
     * exp(y * log1p(t)/t) with t = (1-s) y, which stay accurate as s approaches 1 (where H becomes log).
     */
    private final long n;
    private final double s;
    private final double hIntegralX1;
    private final double hIntegralN;
    private final double cut;

    ZipfSampler(long n, double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("Zipf needs at least one element, got " + n);
        }
        if (!(exponent > 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("Zipf exponent must be a positive number, got " + exponent);
        }
        this.n = n;
        this.s = exponent;
        this.hIntegralX1 = bigH(1.5) - 1.0;
        this.hIntegralN = bigH(n + 0.5);
        this.cut = 2.0 - bigHInverse(bigH(2.5) - h(2.0));
    }

    /** A rank in 1..n. */
    long sample(SplittableRandom random) {
        for (;;) {
            double u = hIntegralN + random.nextDouble() * (hIntegralX1 - hIntegralN);
            double x = bigHInverse(u);
            long k = (long) (x + 0.5);
            if (k < 1) {
                k = 1;
            } else if (k > n) {
                k = n;
            }
            if (k - x <= cut || u >= bigH(k + 0.5) - h(k)) {
                return k;
            }
        }
    }

    private double h(double x) {
        return Math.exp(-s * Math.log(x));
    }

    private double bigH(double x) {
        double logX = Math.log(x);
        return expm1OverX((1.0 - s) * logX) * logX;
    }

    private double bigHInverse(double y) {
        double t = Math.max(-1.0, y * (1.0 - s));
        return Math.exp(log1pOverX(t) * y);
    }

    /** log(1 + t) / t, continuous at 0. */
    private static double log1pOverX(double t) {
        return Math.abs(t) > 1e-8 ? Math.log1p(t) / t : 1.0 - t * (0.5 - t / 3.0);
    }

    /** (e^t - 1) / t, continuous at 0. */
    private static double expm1OverX(double t) {
        return Math.abs(t) > 1e-8 ? Math.expm1(t) / t : 1.0 + t * 0.5 * (1.0 + t / 3.0);
    }
}
