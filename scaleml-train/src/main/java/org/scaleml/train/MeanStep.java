package org.scaleml.train;

/** {@code sync} with {@code mean}: the exchange averages the gradients. */
final class MeanStep extends CoordinationStep {
    MeanStep(StepContext run) {
        super(run);
    }

    @Override
    void apply(float[] grad, long step) {
        run.ex.average(grad);
        run.opt.step(run.params, grad);
    }
}
