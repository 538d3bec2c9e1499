package org.scaleml.train.robust;

import java.util.SplittableRandom;
import org.scaleml.common.SplitMix64;

/**
 * Sends Gaussian noise of standard deviation {@code scale} per coordinate instead of the gradient (the honest
 * values are discarded). The noise of a call is a function of {@code (seed, rank, step, off)} only, so each
 * attacker, step and slice gets its own stream, and a run resumed from a checkpoint sends the same noise again.
 * Uses {@link StrictMath}, so the values are the same on every JVM. Stateless.
 */
final class NoiseAttack implements Attack {
    /*
     * Stream seed: mix(mix(mix(mix(seed ^ DOMAIN) + G (rank + 1)) + G (step + 1)) + G (off + 1)), mix the
     * splitmix64 finalizer (a bijection) and G the golden-ratio increment (each mix(h + G (k + 1)) is
     * SplitMix64.valueAt(h, k)), the same construction as the data module's per-(rank, epoch) shuffle seeds; the
     * domain constant keeps the stream apart from the other uses of the user's seed. Values: SplittableRandom (a
     * specified algorithm, so reproducible) through the Box-Muller transform, both deviates of each pair used:
     * z0 = r cos(2 pi u2), z1 = r sin(2 pi u2), r = sqrt(-2 ln u1),
     * u1 in (0, 1].
     */
    private static final long DOMAIN = 0x4e4f495345000003L; // "NOISE"

    private final String spec;
    private final double std;
    private final long base;

    NoiseAttack(String spec, double std, long seed, int rank) {
        this.spec = spec;
        this.std = std;
        this.base = SplitMix64.valueAt(SplitMix64.mix(seed ^ DOMAIN), rank);
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public void apply(float[] g, int off, int len, long step) {
        Slices.checkSlice(spec, g, off, len);
        long s = SplitMix64.valueAt(SplitMix64.valueAt(base, step), off);
        SplittableRandom rnd = new SplittableRandom(s);
        int end = off + len;
        for (int j = off; j < end; j += 2) {
            double r = std * StrictMath.sqrt(-2 * StrictMath.log(1.0 - rnd.nextDouble()));
            double a = 2 * Math.PI * rnd.nextDouble();
            g[j] = (float) (r * StrictMath.cos(a));
            if (j + 1 < end) {
                g[j + 1] = (float) (r * StrictMath.sin(a));
            }
        }
    }
}
