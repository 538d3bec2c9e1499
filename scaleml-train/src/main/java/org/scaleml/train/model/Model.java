package org.scaleml.train.model;

import java.util.List;

import org.scaleml.train.data.Batch;

/**
 * A differentiable classifier whose parameters are one flat {@code float[]} of {@link #parameterCount()} values,
 * cut into named {@link #layers()} that cover it exactly, in order and without gaps.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Statelessness.</b> A model object holds only its architecture. Parameters, gradients and scratch space
 *       are passed in, so one model serves many workers: each thread uses its own {@link Workspace} (from
 *       {@link #workspace(int)}) and its own gradient array.</li>
 *   <li><b>Loss.</b> {@link #lossAndGradient} returns the mean cross-entropy (logistic loss for binary
 *       {@code logreg}) over the batch and <em>overwrites</em> {@code grad} with its exact gradient with respect to
 *       {@code params} (the mean over the batch; weight decay is the optimizer's business). Gradients are checked
 *       against central finite differences in the tests.</li>
 *   <li><b>Inputs.</b> Features come from the batch's {@link org.scaleml.train.data.Dataset}, dense or sparse;
 *       a model that needs a particular shape (the CNN) checks it and throws {@link IllegalArgumentException}.</li>
 *   <li><b>Determinism.</b> Results depend only on the inputs (no hidden randomness); {@link #initialize} is
 *       seeded.</li>
 * </ul>
 */
public interface Model {

    /** A specification that names the architecture, e.g. {@code mlp:hidden=256-128,act=relu}. */
    String spec();

    /** Number of input features expected. */
    int inputs();

    /** Number of classes predicted. */
    int classes();

    int parameterCount();

    /** The named parameter slices, in order, covering {@code [0, parameterCount())} exactly. */
    List<Layer> layers();

    /** Writes initial parameters (a seeded standard initialization for the architecture). */
    void initialize(float[] params, long seed);

    /** Scratch space for batches of at most {@code maxBatch} examples, for one thread. */
    Workspace workspace(int maxBatch);

    /**
     * The mean loss over the batch; overwrites {@code grad[0, parameterCount())} with its gradient.
     *
     * @throws IllegalArgumentException if the batch is larger than the workspace allows or its data set does not
     *                                  fit the model
     */
    double lossAndGradient(float[] params, Batch batch, float[] grad, Workspace ws);

    /**
     * Writes the raw scores (logits) of each example of the batch, {@code classes()} per example, into
     * {@code out[0, batch.size() * classes())}, row-major; the predicted class is the index of the largest score and
     * the class probabilities are the softmax of the scores. (Binary logistic regression reports {@code [0, z]} for
     * its margin {@code z}, so that the softmax is the sigmoid.)
     */
    void scores(float[] params, Batch batch, float[] out, Workspace ws);

    /** Writes the predicted class of each example of the batch into {@code out[0, batch.size())}. */
    void predict(float[] params, Batch batch, int[] out, Workspace ws);

    /** Per-thread scratch space of a model; opaque to callers. */
    interface Workspace {
        /** The largest batch this workspace serves. */
        int maxBatch();
    }
}
