package org.scaleml.common;

/**
 * SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): the finalizer {@link #mix(long)}, a bijective 64-bit mixer
 * with strong avalanche, and the generator built on it, whose state advances by the golden-ratio increment
 * {@link #GOLDEN_GAMMA} and whose output is the mix of the state.
 *
 * <p>The static methods are pure functions, safe from any thread. An instance is a generator that is
 * <em>not</em> thread-safe: confine it to one thread. Not for cryptography.
 *
 * <p>Outputs are fixed for all time: shard assignments, shuffles, generated graphs, codec seeds and queue
 * seeds elsewhere in the project are derived from them, and tests pin exact values.
 */
public final class SplitMix64 {
    /*
     * The generator: state_k = seed + k * GOLDEN_GAMMA (mod 2^64), output_k = mix(state_{k+1}). Because the
     * state is a counter, output number k can be computed directly (valueAt), which is what lets callers
     * derive independent streams or per-index hashes without stepping. mix is Stafford's "variant 13" of the
     * MurmurHash3 64-bit finalizer: xor-shift 30, multiply, xor-shift 27, multiply, xor-shift 31; each step
     * is a bijection of 64-bit words, so mix is one as well (mix(0) == 0).
     */

    /** The state increment: 2^64 divided by the golden ratio, rounded to an odd number. */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /** A generator whose first {@link #nextLong()} is {@code mix(seed + GOLDEN_GAMMA)}; any seed is valid. */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /**
     * The SplitMix64 finalizer: a bijection of 64-bit words with strong avalanche; {@code mix(0) == 0}.
     *
     * @param z any value
     * @return the mixed value
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Output number {@code index} (0-based) of a generator seeded with {@code seed}, in constant time:
     * {@code mix(seed + (index + 1) * GOLDEN_GAMMA)}. {@code valueAt(seed, 0)} is the first {@link #nextLong()}
     * of {@code new SplitMix64(seed)}.
     *
     * @param seed  the generator's seed
     * @param index which output, counted from 0 (any value; arithmetic wraps modulo 2^64)
     * @return 64 random-looking bits
     */
    public static long valueAt(long seed, long index) {
        return mix(seed + (index + 1) * GOLDEN_GAMMA);
    }

    /** @return the next 64 bits: the state advances by {@link #GOLDEN_GAMMA} and is then mixed */
    public long nextLong() {
        return mix(state += GOLDEN_GAMMA);
    }

    /**
     * Uniform-looking in {@code [0, bound)} by multiply-shift on the high 32 bits of {@link #nextLong()}
     * (Lemire's reduction without rejection: bias below {@code bound / 2^32}).
     *
     * @param bound exclusive upper bound, at least 1
     * @return a value in {@code [0, bound)}
     * @throws IllegalArgumentException if {@code bound < 1}
     */
    public int nextInt(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be at least 1, got " + bound);
        }
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }
}
