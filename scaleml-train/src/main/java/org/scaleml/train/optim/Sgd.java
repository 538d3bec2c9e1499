package org.scaleml.train.optim;

/**
 * Stochastic gradient descent with optional momentum (heavy ball or Nesterov) and L2 weight decay, the update of
 * PyTorch's {@code torch.optim.SGD} (no dampening). With {@code g = grad + wd * p}, learning rate {@code lr} of
 * the current step, momentum {@code mu} and velocity {@code v} (starting at 0):
 * <pre>
 *   plain:     p -= lr * g
 *   momentum:  v = mu * v + g;  p -= lr * v
 *   Nesterov:  v = mu * v + g;  p -= lr * (g + mu * v)
 * </pre>
 * <b>Weight decay is L2</b> (coupled): {@code wd * p} is added to the gradient, so it passes through momentum;
 * this is the classic choice for SGD (for plain SGD it equals decoupled decay {@code p -= lr * wd * p}).
 *
 * <p><b>State.</b> {@link #buffers()} is {@code {v}} with momentum, empty without. Arithmetic is {@code float}, in
 * a fixed order, so equal inputs give bitwise equal results on every JVM. {@code step} does not allocate and does
 * not modify {@code grad}.
 *
 * <p><b>Thread safety.</b> Not thread-safe (mutable state); one instance per parameter vector.
 */
public final class Sgd extends ScheduledOptimizer {
    /*
     * One fused loop per variant over the flat arrays; the learning rate is read from the schedule once per step
     * and rounded to float, as are mu and wd, so the inner loop is pure float arithmetic.
     */
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final float[] velocity;

    /**
     * @param parameterCount parameters updated per step, at least 1
     * @param schedule       learning rate per step
     * @param momentum       in {@code [0, 1)}; 0 for plain SGD
     * @param nesterov       Nesterov momentum (needs {@code momentum > 0})
     * @param weightDecay    L2 coefficient, {@code >= 0}
     * @throws IllegalArgumentException for values outside those ranges
     */
    public Sgd(int parameterCount, LrSchedule schedule, double momentum, boolean nesterov, double weightDecay) {
        super(parameterCount, schedule);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("nesterov=true needs momentum > 0");
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be a finite number >= 0, got " + weightDecay);
        }
        LrSchedule.require(schedule);
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.velocity = momentum > 0 ? new float[parameterCount] : null;
    }

    @Override
    public String spec() {
        return "sgd:lr=" + schedule.baseRate() + ",momentum=" + momentum + ",nesterov=" + nesterov + ",wd="
                + weightDecay + "," + schedule.keys();
    }

    @Override
    void update(float[] params, float[] grad, double rate, long steps) {
        final float lr = (float) rate;
        final float wd = (float) weightDecay;
        final float mu = (float) momentum;
        final float[] v = velocity;
        if (v == null) {
            for (int i = 0; i < n; i++) {
                float g = grad[i] + wd * params[i];
                params[i] -= lr * g;
            }
        } else if (nesterov) {
            for (int i = 0; i < n; i++) {
                float g = grad[i] + wd * params[i];
                float vi = mu * v[i] + g;
                v[i] = vi;
                params[i] -= lr * (g + mu * vi);
            }
        } else {
            for (int i = 0; i < n; i++) {
                float g = grad[i] + wd * params[i];
                float vi = mu * v[i] + g;
                v[i] = vi;
                params[i] -= lr * vi;
            }
        }
    }

    @Override
    float[][] liveBuffers() {
        return velocity == null ? new float[0][] : new float[][] {velocity};
    }
}
