package org.scaleml.train.optim;

/**
 * Updates a flat parameter vector from a gradient, in place. An optimizer owns its state (momentum buffers, Adam
 * moments) for one parameter vector, so every worker of a synchronous job that applies the same gradients in the
 * same order ends with bitwise identical parameters.
 *
 * <p><b>State.</b> {@link #steps()} and {@link #buffers()} are everything the optimizer remembers, and
 * {@link #restore} puts them back, so a checkpoint can resume a run exactly. Not thread-safe.
 */
public interface Optimizer {

    /** The specification, e.g. {@code sgd:lr=0.05,momentum=0.9,nesterov=true}. */
    String spec();

    /**
     * Applies one step: {@code params -= update(grad)}, with the learning rate the schedule gives for the current
     * step, then advances the step counter. {@code grad} may be modified (e.g. weight decay added into it).
     */
    void step(float[] params, float[] grad);

    /** Number of steps applied so far. */
    long steps();

    /** The learning rate the next step will use. */
    double learningRate();

    /** A copy of the optimizer's buffers (momentum, moments; none for plain SGD), each of the parameter count. */
    float[][] buffers();

    /**
     * Restores the step count and buffers of an optimizer with the same specification and parameter count.
     *
     * @throws IllegalArgumentException if the buffers do not fit
     */
    void restore(long steps, float[][] buffers);
}
