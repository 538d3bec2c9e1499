package org.scaleml.train.optim;

import java.util.Objects;

/**
 * A learning rate as a function of the 0-based step: {@link #constant}, {@link #stepDecay}, {@link #cosine}, each
 * optionally preceded by a linear {@link #withWarmup warmup}.
 *
 * <ul>
 *   <li>{@code constant}: {@code lr}.</li>
 *   <li>{@code step:every=N,gamma=G}: {@code lr * G^floor(s / N)}.</li>
 *   <li>{@code cosine} over {@code T} steps: {@code lr * (1 + cos(pi * min(s, T) / T)) / 2}, from {@code lr} at
 *       step 0 down to 0 at step {@code T} and after.</li>
 *   <li>warmup of {@code W} steps before schedule {@code f}: {@code f(0) * (s + 1) / W} for {@code s < W}
 *       (reaching {@code f(0)} at the last warmup step), then {@code f(s - W)}: the wrapped schedule starts when
 *       the warmup ends. {@link Optimizers} gives a cosine after a warmup the horizon {@code total - W}, so it still
 *       reaches 0 at the last step.</li>
 * </ul>
 *
 * <p>Values are computed in {@code double} with {@link StrictMath}, so every JVM gives bitwise the same rates.
 *
 * <p><b>Thread safety.</b> Immutable.
 */
public final class LrSchedule {
    /*
     * A small function object plus the base rate and a spec fragment (for Optimizer.spec()). Warmup is a
     * decorator around any schedule, so all combinations compose without a class per combination.
     */
    private interface Fn {
        double at(long step);
    }

    private final double base;
    private final String keys;
    private final Fn fn;

    private LrSchedule(double base, String keys, Fn fn) {
        this.base = base;
        this.keys = keys;
        this.fn = fn;
    }

    /** The constant rate {@code lr}. */
    public static LrSchedule constant(double lr) {
        checkRate(lr);
        return new LrSchedule(lr, "schedule=constant", s -> lr);
    }

    /** {@code lr * gamma^floor(step / every)}. */
    public static LrSchedule stepDecay(double lr, long every, double gamma) {
        checkRate(lr);
        if (every < 1) {
            throw new IllegalArgumentException("step decay: every must be >= 1, got " + every);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("step decay: gamma must be in (0, 1], got " + gamma);
        }
        return new LrSchedule(lr, "schedule=step,every=" + every + ",gamma=" + gamma,
                s -> lr * StrictMath.pow(gamma, (double) (s / every)));
    }

    /** Cosine decay from {@code lr} to 0 over {@code totalSteps} steps (0 afterwards). */
    public static LrSchedule cosine(double lr, long totalSteps) {
        checkRate(lr);
        if (totalSteps < 1) {
            throw new IllegalArgumentException("cosine schedule: total steps must be >= 1, got " + totalSteps);
        }
        return new LrSchedule(lr, "schedule=cosine", s -> {
            long c = Math.min(s, totalSteps);
            return lr * 0.5 * (1 + StrictMath.cos(StrictMath.PI * c / totalSteps));
        });
    }

    /** This schedule preceded by a linear warmup of {@code steps} steps (see the class comment); 0: unchanged. */
    public LrSchedule withWarmup(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("warmup must be >= 0 steps, got " + steps);
        }
        if (steps == 0) {
            return this;
        }
        Fn inner = fn;
        double first = inner.at(0);
        return new LrSchedule(base, keys + ",warmup=" + steps,
                s -> s < steps ? first * (s + 1) / steps : inner.at(s - steps));
    }

    /** The rate at 0-based step {@code step >= 0}. */
    public double at(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        return fn.at(step);
    }

    /** The base rate {@code lr}. */
    public double baseRate() {
        return base;
    }

    /** The spec keys of this schedule, e.g. {@code schedule=cosine,warmup=100}. */
    public String keys() {
        return keys;
    }

    @Override
    public String toString() {
        return "lr=" + base + "," + keys;
    }

    private static void checkRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + lr);
        }
    }

    static LrSchedule require(LrSchedule s) {
        return Objects.requireNonNull(s, "schedule");
    }
}
