package org.scaleml.train;

import java.util.Arrays;

import org.scaleml.train.robust.Aggregator;
import org.scaleml.train.robust.Attack;

/**
 * {@code sync} with a robust rule: every rank gathers every rank's vector (its gradient, or with worker momentum
 * its velocity) and applies the same rule.
 */
final class RobustStep extends CoordinationStep {
    private final Aggregator rule;
    private final float mu;
    private final boolean nesterov;
    private final float[] momentum;
    private final Attack attack;

    /** {@code mu > 0}: worker momentum (the run's optimizer then has none). */
    RobustStep(StepContext run, Aggregator rule, double mu, boolean nesterov, Attack attack) {
        super(run);
        this.rule = rule;
        this.mu = (float) mu;
        this.nesterov = nesterov;
        this.momentum = mu > 0 ? new float[run.n] : null;
        this.attack = attack;
    }

    @Override
    boolean attacksItself() {
        return momentum != null;
    }

    @Override
    void apply(float[] grad, long step) {
        if (momentum != null) { // the honest velocity; an attacker corrupts what it sends, not its memory
            for (int i = 0; i < momentum.length; i++) {
                float v = mu * momentum[i] + grad[i];
                momentum[i] = v;
                grad[i] = nesterov ? grad[i] + mu * v : v;
            }
            if (attack != null) {
                attack.apply(grad, 0, run.n, step);
            }
        }
        float[][] all = run.coll.allgather(grad);
        rule.aggregate(all, 0, run.n, grad);
        run.opt.step(run.params, grad);
    }

    @Override
    String describe() {
        return "aggregator=" + rule.spec() + (momentum == null ? "" : ", worker momentum " + mu
                + (nesterov ? " (Nesterov)" : ""))
                + " (all " + (momentum == null ? "gradients" : "worker momenta") + " gathered uncompressed)";
    }

    @Override
    void restart(long seed) {
    }

    @Override
    float[][] state() {
        float[][] r = rule.state();
        if (momentum == null) {
            return r;
        }
        float[][] all = Arrays.copyOf(r, r.length + 1);
        all[r.length] = momentum.clone();
        return all;
    }

    @Override
    void restore(float[][] state) {
        if (momentum == null) {
            rule.restore(state);
            return;
        }
        if (state.length < 1 || state[state.length - 1].length != momentum.length) {
            throw new Checkpoint.CheckpointException("the checkpoint holds no worker momentum of this model");
        }
        System.arraycopy(state[state.length - 1], 0, momentum, 0, momentum.length);
        rule.restore(Arrays.copyOf(state, state.length - 1));
    }
}
