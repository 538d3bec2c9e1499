package org.scaleml.train.robust;

/**
 * The part every rule of this package shares, written once: its world size and canonical specification, and the
 * argument checks of {@link #aggregate} (one vector per worker, each long enough for the slice, and an output long
 * enough), after which the rule's {@link #combine} runs on valid arguments.
 *
 * <p>Thread safety as the subclass states (the rules keep scratch arrays: one instance per thread).
 */
abstract class CheckedAggregator implements Aggregator {
    /** The number of workers P whose vectors every call combines. */
    final int world;
    private final String spec;

    CheckedAggregator(int world, String spec) {
        this.world = world;
        this.spec = spec;
    }

    @Override
    public final String spec() {
        return spec;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the rule, if there are not {@code world} vectors or the slice lies
     *                                  outside a vector or {@code out}
     */
    @Override
    public final void aggregate(float[][] grads, int off, int len, float[] out) {
        Slices.checkAggregate(spec, world, grads, off, len, out);
        combine(grads, off, len, out);
    }

    /** {@link #aggregate} on checked arguments. */
    abstract void combine(float[][] grads, int off, int len, float[] out);
}
