package org.scaleml.train.optim;

/**
 * Adam [1] with bias correction and decoupled weight decay (AdamW [2]), the update of PyTorch's
 * {@code torch.optim.AdamW}. At 1-based step {@code t} with learning rate {@code lr} of that step:
 * <pre>
 *   m = b1 * m + (1 - b1) * g
 *   v = b2 * v + (1 - b2) * g * g
 *   p -= lr * wd * p                                              (decoupled decay; none when wd = 0)
 *   p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * <b>Weight decay is decoupled</b>: it shrinks the parameters directly instead of entering the adaptive moments,
 * which is what makes weight decay work as intended with Adam.
 *
 * <p><b>State.</b> {@link #buffers()} is {@code {m, v}}; with {@link #steps()} it determines every later update.
 * Bias corrections are computed in {@code double} with {@link StrictMath} once per step, the loop in {@code float},
 * so results are bitwise reproducible. {@code step} does not allocate and does not modify {@code grad}.
 *
 * <p><b>Thread safety.</b> Not thread-safe (mutable state); one instance per parameter vector.
 *
 * <p>[1] D. Kingma, J. Ba, "Adam: a method for stochastic optimization", ICLR 2015.
 * [2] I. Loshchilov, F. Hutter, "Decoupled weight decay regularization", ICLR 2019.
 */
public final class Adam extends ScheduledOptimizer {
    /*
     * Per step: stepSize = lr / (1 - b1^t) and invRootBc2 = 1 / sqrt(1 - b2^t) in double, rounded to float; the
     * fused loop updates both moments and the parameter in one pass. Math.sqrt is correctly rounded, so the loop is
     * deterministic.
     */
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final float[] m;
    private final float[] v;

    /**
     * @param parameterCount parameters updated per step, at least 1
     * @param schedule       learning rate per step
     * @param beta1          first-moment decay in {@code [0, 1)}
     * @param beta2          second-moment decay in {@code [0, 1)}
     * @param eps            added to the denominator, {@code > 0}
     * @param weightDecay    decoupled decay coefficient, {@code >= 0}
     * @throws IllegalArgumentException for values outside those ranges
     */
    public Adam(int parameterCount, LrSchedule schedule, double beta1, double beta2, double eps, double weightDecay) {
        super(parameterCount, schedule);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be a positive finite number, got " + eps);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be a finite number >= 0, got " + weightDecay);
        }
        LrSchedule.require(schedule);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new float[parameterCount];
        this.v = new float[parameterCount];
    }

    @Override
    public String spec() {
        return "adam:lr=" + schedule.baseRate() + ",beta1=" + beta1 + ",beta2=" + beta2 + ",eps=" + eps + ",wd="
                + weightDecay + "," + schedule.keys();
    }

    @Override
    void update(float[] params, float[] grad, double lr, long steps) {
        double t = steps + 1.0;
        final float stepSize = (float) (lr / (1 - StrictMath.pow(beta1, t)));
        final float invRootBc2 = (float) (1 / StrictMath.sqrt(1 - StrictMath.pow(beta2, t)));
        final float decay = (float) (lr * weightDecay);
        final float b1 = (float) beta1;
        final float b2 = (float) beta2;
        final float c1 = (float) (1 - beta1);
        final float c2 = (float) (1 - beta2);
        final float e = (float) eps;
        final float[] mm = m;
        final float[] vv = v;
        for (int i = 0; i < n; i++) {
            float g = grad[i];
            float mi = b1 * mm[i] + c1 * g;
            float vi = b2 * vv[i] + c2 * (g * g);
            mm[i] = mi;
            vv[i] = vi;
            float p = params[i];
            if (decay != 0) {
                p -= decay * p;
            }
            params[i] = p - stepSize * (mi / ((float) Math.sqrt(vi) * invRootBc2 + e));
        }
    }

    @Override
    float[][] liveBuffers() {
        return new float[][] {m, v};
    }
}
