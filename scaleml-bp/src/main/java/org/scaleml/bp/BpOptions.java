package org.scaleml.bp;

/**
 * Settings of a belief-propagation run, the same for every engine.
 *
 * @param epsilon    convergence: the run stops converged when no message would change by more than this
 *                   (maximum absolute difference of normalized message entries); default 1e-5
 * @param maxUpdates cap on message updates (factor-to-variable recomputations); the run stops unconverged
 *                   when it is reached
 * @param damping    in [0, 1): new message = (1 - damping) * computed + damping * old; default 0
 * @param threads    worker threads (engines on the scheduler); default 1
 * @param seed       seed of relaxed schedulers and random choices
 */
public record BpOptions(double epsilon, long maxUpdates, double damping, int threads, long seed) {
    public BpOptions {
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be positive, got " + epsilon);
        }
        if (maxUpdates < 1) {
            throw new IllegalArgumentException("maxUpdates must be at least 1, got " + maxUpdates);
        }
        if (!(damping >= 0 && damping < 1)) {
            throw new IllegalArgumentException("damping must be in [0, 1), got " + damping);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /** epsilon 1e-5, at most 10^9 updates, no damping, one thread, seed 42. */
    public static BpOptions defaults() {
        return new BpOptions(1e-5, 1_000_000_000L, 0, 1, 42);
    }

    public BpOptions withThreads(int t) {
        return new BpOptions(epsilon, maxUpdates, damping, t, seed);
    }

    public BpOptions withEpsilon(double e) {
        return new BpOptions(e, maxUpdates, damping, threads, seed);
    }

    public BpOptions withMaxUpdates(long m) {
        return new BpOptions(epsilon, m, damping, threads, seed);
    }

    public BpOptions withDamping(double d) {
        return new BpOptions(epsilon, maxUpdates, d, threads, seed);
    }

    public BpOptions withSeed(long s) {
        return new BpOptions(epsilon, maxUpdates, damping, threads, s);
    }
}
