package org.scaleml.common;

/**
 * Rounds figures for reports (the JSON lines of {@code scaleml train --json} and of the Spark {@code TrainJob}),
 * identically wherever they are printed. Stateless and thread-safe.
 */
public final class Decimals {
    private Decimals() {
    }

    /**
     * {@code v} rounded half up to {@code digits} decimals: {@code Math.round(v * 10^digits) / 10^digits}.
     *
     * @return the rounded value; a value that is not finite (NaN, an infinity) as it is
     */
    public static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
