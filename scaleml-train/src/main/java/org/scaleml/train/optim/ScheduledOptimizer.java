package org.scaleml.train.optim;

/**
 * What the optimizers of this package share, written once: the parameter count, the learning-rate schedule and the
 * step counter, the argument check and counting around each {@link #step} (the optimizer's {@link #update} does the
 * arithmetic), and the copy and restore of the optimizer's buffers for checkpoints.
 *
 * <p>Not thread-safe, as {@link Optimizer}.
 */
abstract class ScheduledOptimizer implements Optimizer {
    /** Parameters updated per step. */
    final int n;
    final LrSchedule schedule;
    private long steps;

    /**
     * Keeps {@code schedule} unchecked: each optimizer checks it with {@link LrSchedule#require} where its own
     * argument checks put it.
     *
     * @throws IllegalArgumentException if {@code parameterCount < 1}
     */
    ScheduledOptimizer(int parameterCount, LrSchedule schedule) {
        if (parameterCount < 1) {
            throw new IllegalArgumentException("parameter count must be >= 1, got " + parameterCount);
        }
        this.n = parameterCount;
        this.schedule = schedule;
    }

    @Override
    public final void step(float[] params, float[] grad) {
        Optimizers.checkLengths(n, params, grad);
        update(params, grad, schedule.at(steps), steps);
        steps++;
    }

    /**
     * Updates {@code params[0, n)} from {@code grad[0, n)} (lengths checked) and the optimizer's buffers.
     *
     * @param lr   the learning rate of this step
     * @param step the number of steps applied before this one
     */
    abstract void update(float[] params, float[] grad, double lr, long step);

    /** The optimizer's live buffers, each of {@link #n} floats, in checkpoint order. */
    abstract float[][] liveBuffers();

    @Override
    public final long steps() {
        return steps;
    }

    @Override
    public final double learningRate() {
        return schedule.at(steps);
    }

    @Override
    public final float[][] buffers() {
        float[][] live = liveBuffers();
        float[][] copy = new float[live.length][];
        for (int i = 0; i < live.length; i++) {
            copy[i] = live[i].clone();
        }
        return copy;
    }

    @Override
    public final void restore(long steps, float[][] buffers) {
        float[][] live = liveBuffers();
        Optimizers.checkRestore(spec(), n, live.length, steps, buffers);
        for (int i = 0; i < live.length; i++) {
            System.arraycopy(buffers[i], 0, live[i], 0, n);
        }
        this.steps = steps;
    }
}
