package org.scaleml.concurrent.map;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.scaleml.common.SplitMix64;

/**
 * The ordered-map workload of the benchmarks ({@code scaleml bench map} and the JMH {@code OrderedMapBenchmark}
 * run exactly this): a key universe, a key distribution, an operation mix, deterministic per-thread operation
 * streams, and the loop that applies them. Immutable and thread-safe; fixed seeds make every stream reproducible.
 *
 * <h2>Keys</h2>
 * The universe is {@code [0, 2 * keys)}. Key of rank r is {@link #key(long) key(r)}, a fixed pseudo-random
 * bijection of the universe, so ranks (popularity) and key order are unrelated. {@link #prefill} inserts the keys of
 * ranks {@code 0 .. keys-1}: a map starts with {@code keys} keys, a random half of the universe, and with equal put
 * and remove rates it stays near that size.
 *
 * <h2>Distributions ({@code dist})</h2>
 * {@code uniform}: every rank equally likely. {@code zipf:S}: rank r (from 0) with probability proportional to
 * {@code (r+1)^-S}, S > 0 ({@code zipf:0.99} is the usual skewed read workload); the popular ranks are among the
 * prefilled keys.
 *
 * <h2>Mixes ({@code mix})</h2>
 * {@code G-P-R}: percentages of {@code get}, {@code put} and {@code remove}, summing to 100, e.g. {@code 90-5-5}.
 * A put stores a value that changes with every operation, so it is a real write.
 */
public final class MapWorkload {
    /** Seed of every stream (thread t uses a stream derived from it and t). */
    public static final long SEED = 0x5CA1AB1E_0F_0DDL;
    /** Length of each thread's precomputed operation stream (8 MiB); runs loop over it. */
    public static final int STREAM_LENGTH = 1 << 20;
    /** Most keys a workload may have. */
    public static final long MAX_KEYS = 1L << 31;

    private static final int GET = 0;
    private static final int PUT = 1;
    private static final int REMOVE = 2;
    private static final int OP_SHIFT = 62;
    private static final long KEY_MASK = (1L << OP_SHIFT) - 1;

    private final String dist;
    private final String mix;
    private final double zipf;
    private final int getPercent;
    private final int putPercent;
    private final long keys;
    private final long universe;
    private final int bits;

    private MapWorkload(String dist, double zipf, String mix, int getPercent, int putPercent, long keys) {
        this.dist = dist;
        this.zipf = zipf;
        this.mix = mix;
        this.getPercent = getPercent;
        this.putPercent = putPercent;
        this.keys = keys;
        this.universe = 2 * keys;
        this.bits = 64 - Long.numberOfLeadingZeros(universe - 1);
    }

    /**
     * A workload of {@code keys} prefilled keys, key distribution {@code dist} and operation mix {@code mix}.
     *
     * @throws IllegalArgumentException naming the bad part: an unknown distribution, a malformed mix or one that
     *                                  does not sum to 100, or keys outside 1 to {@link #MAX_KEYS}
     */
    public static MapWorkload of(String dist, String mix, long keys) {
        if (keys < 1 || keys > MAX_KEYS) {
            throw new IllegalArgumentException("keys must be between 1 and " + MAX_KEYS + ", got " + keys);
        }
        String d = dist == null ? "" : dist.trim().toLowerCase(Locale.ROOT);
        double s = Double.NaN;
        if (d.startsWith("zipf:")) {
            try {
                s = Double.parseDouble(d.substring("zipf:".length()));
            } catch (NumberFormatException e) {
                s = Double.NaN;
            }
            if (!(s > 0 && s <= 10)) {
                throw new IllegalArgumentException("distribution '" + dist + "': the Zipf exponent must be a number "
                        + "above 0 and at most 10, e.g. zipf:0.99");
            }
        } else if (!d.equals("uniform")) {
            throw new IllegalArgumentException("unknown distribution '" + dist + "'; expected uniform or zipf:S "
                    + "(e.g. zipf:0.99)");
        }
        int[] p = parseMix(mix);
        return new MapWorkload(d, s, p[0] + "-" + p[1] + "-" + p[2], p[0], p[1], keys);
    }

    private static int[] parseMix(String mix) {
        String m = mix == null ? "" : mix.trim();
        String[] parts = m.split("-", -1);
        int[] p = new int[3];
        boolean ok = parts.length == 3;
        for (int i = 0; ok && i < 3; i++) {
            try {
                p[i] = Integer.parseInt(parts[i].trim());
                ok = p[i] >= 0 && p[i] <= 100;
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok || p[0] + p[1] + p[2] != 100) {
            throw new IllegalArgumentException("mix '" + mix + "' must be G-P-R: get, put and remove percentages "
                    + "summing to 100, e.g. 90-5-5");
        }
        return p;
    }

    /** The distribution as given in canonical form, e.g. {@code uniform} or {@code zipf:0.99}. */
    public String dist() {
        return dist;
    }

    /** The mix in canonical form, e.g. {@code 90-5-5}. */
    public String mix() {
        return mix;
    }

    /** Keys inserted by {@link #prefill}. */
    public long keys() {
        return keys;
    }

    /** The size of the key universe, {@code 2 * keys}. */
    public long universe() {
        return universe;
    }

    /** The key of rank {@code rank} (0 to universe-1): a fixed bijection of {@code [0, universe)}. */
    public long key(long rank) {
        long y = permute(rank);
        while (y >= universe) {
            y = permute(y); // cycle-walking: a permutation of [0, 2^bits) restricted to [0, universe)
        }
        return y;
    }

    /** A bijection of {@code [0, 2^bits)}: multiplications by odd constants and xor-shifts, all modulo 2^bits. */
    private long permute(long x) {
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        int shift = bits / 2 + 1;
        x = (x * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L) & mask;
        x ^= x >>> shift;
        x = (x * 0xBF58476D1CE4E5B9L) & mask;
        x ^= x >>> shift;
        return x;
    }

    /**
     * Inserts the keys of ranks {@code 0 .. keys-1} (value {@code key + 1}), split between {@code threads} threads
     * (use 1 for a map that is not thread-safe).
     */
    public void prefill(ConcurrentLongMap map, int threads) throws InterruptedException {
        int t = Math.max(1, threads);
        List<Thread> workers = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int i = 0; i < t; i++) {
            long from = keys * i / t;
            long to = keys * (i + 1) / t;
            Runnable fill = () -> {
                for (long r = from; r < to; r++) {
                    long k = key(r);
                    map.put(k, k + 1);
                }
            };
            if (t == 1) {
                fill.run();
                return;
            }
            Thread w = new Thread(fill, "map-prefill-" + i);
            w.setUncaughtExceptionHandler((th, e) -> failure[0] = e);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failure[0] != null) {
            throw new IllegalStateException("prefill failed", failure[0]);
        }
    }

    /**
     * The operation stream of thread {@code thread}: {@code length} operations drawn from the mix and the key
     * distribution, each packed in one {@code long} for {@link #execute}. Deterministic in the thread index.
     */
    public long[] operations(int thread, int length) {
        SplittableRandom random = new SplittableRandom(SplitMix64.mix(SEED + thread));
        ZipfSampler z = Double.isNaN(zipf) ? null : new ZipfSampler(universe, zipf);
        long[] ops = new long[length];
        for (int i = 0; i < length; i++) {
            int p = random.nextInt(100);
            long op = p < getPercent ? GET : p < getPercent + putPercent ? PUT : REMOVE;
            long rank = z == null ? random.nextLong(universe) : z.sample(random) - 1;
            ops[i] = (op << OP_SHIFT) | key(rank);
        }
        return ops;
    }

    /**
     * Applies {@code ops[from .. to-1]} to the map; returns a checksum of the results (consume it, so that the JIT
     * keeps the calls).
     */
    public static long execute(ConcurrentLongMap map, long[] ops, int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            long w = ops[i];
            long key = w & KEY_MASK;
            switch ((int) (w >>> OP_SHIFT)) {
                case GET:
                    sum += map.get(key);
                    break;
                case PUT:
                    sum += map.put(key, key + i + 1);
                    break;
                default:
                    sum += map.remove(key);
                    break;
            }
        }
        return sum;
    }

    /** Heap in use after garbage collection has settled (several collections until it stops shrinking). */
    public static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used - (used >> 10)) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s, mix %s, %,d keys", dist, mix, keys);
    }
}
