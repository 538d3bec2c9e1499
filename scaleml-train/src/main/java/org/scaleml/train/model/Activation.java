package org.scaleml.train.model;

import java.util.Locale;

/**
 * Elementwise activation of a hidden layer, applied in place, with its derivative expressed through the
 * activation's output (so backpropagation needs only the stored outputs).
 *
 * <p><b>Thread safety.</b> Stateless. <b>Complexity.</b> Linear in the number of elements; no allocation.
 */
enum Activation {
    /** {@code max(0, x)}; derivative 1 where the output is positive, else 0. He initialization. */
    RELU {
        @Override
        void apply(float[] a, int from, int to) {
            for (int i = from; i < to; i++) {
                a[i] = Math.max(a[i], 0f);
            }
        }

        @Override
        void backward(float[] y, float[] d, int from, int to) {
            for (int i = from; i < to; i++) {
                d[i] = y[i] > 0f ? d[i] : 0f;
            }
        }
    },
    /** {@code tanh(x)}; derivative {@code 1 - y^2}. Xavier initialization. */
    TANH {
        @Override
        void apply(float[] a, int from, int to) {
            for (int i = from; i < to; i++) {
                a[i] = (float) Math.tanh(a[i]);
            }
        }

        @Override
        void backward(float[] y, float[] d, int from, int to) {
            for (int i = from; i < to; i++) {
                d[i] *= 1f - y[i] * y[i];
            }
        }
    },
    /** {@code 1 / (1 + e^-x)}; derivative {@code y (1 - y)}. Xavier initialization. */
    SIGMOID {
        @Override
        void apply(float[] a, int from, int to) {
            for (int i = from; i < to; i++) {
                a[i] = (float) Ops.sigmoid(a[i]);
            }
        }

        @Override
        void backward(float[] y, float[] d, int from, int to) {
            for (int i = from; i < to; i++) {
                d[i] *= y[i] * (1f - y[i]);
            }
        }
    };

    /** Replaces {@code a[from, to)} by its activation. */
    abstract void apply(float[] a, int from, int to);

    /** Multiplies {@code d[from, to)} by the derivative at the outputs {@code y[from, to)}. */
    abstract void backward(float[] y, float[] d, int from, int to);

    /** The lower-case name used in specifications. */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether hidden layers use He (fan-in) rather than Xavier (fan-in + fan-out) initialization. */
    boolean heInit() {
        return this == RELU;
    }

    /** The activation named {@code key} (case-insensitive), or an exception listing the accepted names. */
    static Activation parse(String key) {
        for (Activation a : values()) {
            if (a.key().equalsIgnoreCase(key.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + key + "'; accepted: relu, tanh, sigmoid");
    }
}
