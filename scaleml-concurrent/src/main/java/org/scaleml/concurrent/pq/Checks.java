package org.scaleml.concurrent.pq;

/** Argument checks with messages that name the parameter, its value and the allowed range. */
final class Checks {
    private Checks() {
    }

    static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    static double probability(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + value);
        }
        return value;
    }
}
