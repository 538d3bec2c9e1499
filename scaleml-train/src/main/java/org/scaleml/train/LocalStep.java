package org.scaleml.train;

/**
 * {@code local}: local steps, the models' change averaged every H steps and at every epoch's end: the change since
 * the last averaging, {@code params - anchor}, is averaged by the exchange (compressed if a codec is set), and
 * {@code params = anchor + mean change} becomes the new anchor, identical everywhere.
 */
final class LocalStep extends CoordinationStep {
    private final int h;
    private final float[] anchor;
    private final float[] delta;

    LocalStep(StepContext run, int h) {
        super(run);
        this.h = h;
        this.anchor = run.params.clone();
        this.delta = new float[run.n];
    }

    @Override
    void apply(float[] grad, long step) {
        run.opt.step(run.params, grad);
        if ((step + 1) % h == 0) {
            average();
        }
    }

    @Override
    void endEpoch(long step) {
        if ((step + 1) % h != 0) { // not averaged by apply just now
            average();
        }
    }

    private void average() {
        float[] p = run.params;
        for (int i = 0; i < p.length; i++) {
            delta[i] = p[i] - anchor[i];
        }
        run.ex.average(delta);
        for (int i = 0; i < p.length; i++) {
            p[i] = anchor[i] + delta[i];
        }
        System.arraycopy(p, 0, anchor, 0, p.length);
    }

    @Override
    String describe() {
        return "local steps=" + h + "; model change averaged: " + run.ex.describe();
    }

    @Override
    float[][] state() {
        return new float[][] {anchor.clone()};
    }

    @Override
    void restore(float[][] state) {
        if (state.length != 1 || state[0].length != anchor.length) {
            throw new Checkpoint.CheckpointException("the checkpoint's local SGD state does not fit this model");
        }
        System.arraycopy(state[0], 0, anchor, 0, anchor.length);
    }
}
