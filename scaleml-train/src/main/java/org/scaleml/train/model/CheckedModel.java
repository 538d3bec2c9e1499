package org.scaleml.train.model;

import java.util.Arrays;

import org.scaleml.train.data.Batch;

/**
 * The argument checks every model's entry points begin with, written once: {@link #lossAndGradient},
 * {@link #predict} and {@link #scores} check that the workspace is one of this model's, that the arrays hold the
 * model's parameters and the batch fits the workspace and the model (plus the model's own {@link #checkData}), and
 * that a loss over an empty batch is 0 with a zero gradient; then they call the model's {@code checked...} method
 * with its own workspace type.
 *
 * <p>Subclasses are immutable and thread-safe as {@link Model} requires; workspaces are per thread.
 *
 * @param <W> the model's workspace type
 */
abstract class CheckedModel<W extends CheckedModel.Scratch> implements Model {

    @Override
    public final double lossAndGradient(float[] params, Batch batch, float[] grad, Model.Workspace workspace) {
        W ws = checked(params, grad, batch, workspace);
        if (batch.size() == 0) {
            Arrays.fill(grad, 0, parameterCount(), 0f);
            return 0.0;
        }
        return checkedLossAndGradient(params, batch, grad, ws);
    }

    @Override
    public final void predict(float[] params, Batch batch, int[] out, Model.Workspace workspace) {
        checkedPredict(params, batch, out, checked(params, null, batch, workspace));
    }

    @Override
    public final void scores(float[] params, Batch batch, float[] out, Model.Workspace workspace) {
        checkedScores(params, batch, out, checked(params, null, batch, workspace));
    }

    /** {@link #lossAndGradient} on checked arguments and a batch of at least one example. */
    abstract double checkedLossAndGradient(float[] params, Batch batch, float[] grad, W ws);

    /** {@link #predict} on checked arguments. */
    abstract void checkedPredict(float[] params, Batch batch, int[] out, W ws);

    /** {@link #scores} on checked arguments. */
    abstract void checkedScores(float[] params, Batch batch, float[] out, W ws);

    /**
     * Checks what the model alone requires of the batch's data set (after the common checks); nothing by default.
     *
     * @throws IllegalArgumentException if the data set does not fit the model
     */
    void checkData(Batch batch, W ws) {
    }

    /** The common checks; {@code grad} null when there is no gradient. */
    private W checked(float[] params, float[] grad, Batch batch, Model.Workspace workspace) {
        if (!(workspace instanceof Scratch) || ((Scratch) workspace).owner != this) {
            throw new IllegalArgumentException("workspace was not created by this model (" + spec() + ")");
        }
        @SuppressWarnings("unchecked") // a workspace this model created is of its workspace type
        W ws = (W) workspace;
        Ops.checkLengths(this, params, grad);
        Ops.check(this, batch, ws);
        checkData(batch, ws);
        return ws;
    }

    /** A model's per-thread scratch space: it knows its model and its largest batch. */
    abstract static class Scratch implements Model.Workspace {
        private final Model owner;
        private final int maxBatch;

        /** @throws IllegalArgumentException if {@code maxBatch} is not positive */
        Scratch(Model owner, int maxBatch) {
            if (maxBatch <= 0) {
                throw new IllegalArgumentException("maxBatch must be positive, got " + maxBatch);
            }
            this.owner = owner;
            this.maxBatch = maxBatch;
        }

        @Override
        public final int maxBatch() {
            return maxBatch;
        }
    }
}
