package org.scaleml.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.scaleml.concurrent.heap.DaryHeap;
import org.scaleml.concurrent.heap.IndexedMaxHeap;
import org.scaleml.concurrent.heap.IndexedMinHeap;
import org.scaleml.concurrent.heap.LongMinHeap;

/**
 * Single-threaded cost of the sequential heaps of {@code org.scaleml.concurrent.heap} under the operation mixes of
 * their hot paths; scores are heap operations per microsecond.
 *
 * <ul>
 *   <li>{@link #pairHold}: the MultiQueue building block ({@link DaryHeap}, {@code arity} 2, 4 or 8): remove the
 *       minimum, then insert an element whose priority is the removed one plus a uniform value in
 *       {@code [1, 2^24]}, so the size stays at {@code size}. Two operations per step.</li>
 *   <li>{@link #packedHold}: the same hold workload on {@link LongMinHeap}, the lazy heap of packed
 *       {@code dist << bits | node} words of the sequential Dijkstra. Two operations per step.</li>
 *   <li>{@link #indexedDecreaseKey}: the Dijkstra/A* mix on {@link IndexedMinHeap}: pop the minimum item, insert it
 *       again with a larger key, and lower the key of a random item half way to the popped key. Three operations
 *       per step; the heap holds {@code size} items.</li>
 *   <li>{@link #indexedMaxUpdate}: the residual-BP mix on {@link IndexedMaxHeap}: take the top id, set its key to
 *       0, and set the keys of three random ids to random values. Four operations per step over {@code size}
 *       ids.</li>
 * </ul>
 * Random draws are made once per trial from {@code SplittableRandom(SEED)} into tables read in a cycle, so the
 * measured loop is heap work and table reads only.
 *
 * <p>Run (about 2 minutes):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar HeapBenchmark
 * }</pre>
 * Variants: {@code -p size=1000} for a heap that fits in L1, {@code -f 3} for more forks, {@code -rf json} for
 * machine-readable results.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HeapBenchmark {

    /** Seed of every table of random draws. */
    public static final long SEED = 0x5CA1E5EEDL;

    /** Steps per benchmark invocation. */
    static final int STEPS = 1024;

    /** Length of the tables of random draws (a power of two). */
    static final int TABLE = 1 << 16;

    static final int MASK = TABLE - 1;

    /** Width of the priority window of the hold workloads. */
    static final int SPREAD = 1 << 24;

    /** Tables of random draws shared by all benchmarks. */
    @State(Scope.Thread)
    public static class Draws {
        /** Number of elements (or ids) in the heap. */
        @Param({"100000"})
        public int size;

        long[] deltas;
        int[] ids;
        double[] residuals;
        int cursor;

        @Setup(Level.Trial)
        public void draw() {
            SplittableRandom r = new SplittableRandom(SEED);
            deltas = new long[TABLE];
            ids = new int[TABLE];
            residuals = new double[TABLE];
            for (int i = 0; i < TABLE; i++) {
                deltas[i] = 1 + r.nextInt(SPREAD);
                ids[i] = r.nextInt(size);
                residuals[i] = r.nextDouble();
            }
        }
    }

    /** A {@link DaryHeap} of {@code size} (priority, payload) pairs. */
    @State(Scope.Thread)
    public static class PairHeap {
        /** Arity of the heap (the MultiQueue default is 4). */
        @Param({"2", "4", "8"})
        public int arity;

        DaryHeap heap;

        @Setup(Level.Trial)
        public void fill(Draws d) {
            heap = new DaryHeap(arity, d.size);
            SplittableRandom r = new SplittableRandom(SEED + 1);
            for (int i = 0; i < d.size; i++) {
                heap.insert(r.nextInt(SPREAD), i);
            }
        }
    }

    /** A {@link LongMinHeap} of {@code size} words. */
    @State(Scope.Thread)
    public static class PackedHeap {
        LongMinHeap heap;

        @Setup(Level.Trial)
        public void fill(Draws d) {
            heap = new LongMinHeap(256);
            SplittableRandom r = new SplittableRandom(SEED + 2);
            for (int i = 0; i < d.size; i++) {
                heap.push(r.nextInt(SPREAD));
            }
        }
    }

    /** An {@link IndexedMinHeap} holding all of its {@code size} items, and their keys. */
    @State(Scope.Thread)
    public static class IndexedHeap {
        IndexedMinHeap heap;
        long[] key;

        @Setup(Level.Trial)
        public void fill(Draws d) {
            heap = new IndexedMinHeap(d.size);
            key = new long[d.size];
            SplittableRandom r = new SplittableRandom(SEED + 3);
            for (int i = 0; i < d.size; i++) {
                key[i] = r.nextInt(SPREAD);
                heap.insertOrDecrease(i, key[i]);
            }
        }
    }

    /** An {@link IndexedMaxHeap} over {@code size} ids with random keys. */
    @State(Scope.Thread)
    public static class MaxHeap {
        IndexedMaxHeap heap;

        @Setup(Level.Trial)
        public void fill(Draws d) {
            heap = new IndexedMaxHeap(d.size);
            double[] keys = new double[d.size];
            SplittableRandom r = new SplittableRandom(SEED + 4);
            for (int i = 0; i < d.size; i++) {
                keys[i] = r.nextDouble();
            }
            heap.setAll(keys);
        }
    }

    /** Remove-min then insert, {@link #STEPS} times. */
    @Benchmark
    @OperationsPerInvocation(2 * STEPS)
    public long pairHold(PairHeap s, Draws d) {
        DaryHeap h = s.heap;
        long[] deltas = d.deltas;
        int j = d.cursor;
        long sum = 0;
        for (int i = 0; i < STEPS; i++, j++) {
            long p = h.minPriority();
            sum += h.minPayload();
            h.removeMin();
            h.insert(p + deltas[j & MASK], j);
        }
        d.cursor = j;
        return sum;
    }

    /** Pop then push, {@link #STEPS} times. */
    @Benchmark
    @OperationsPerInvocation(2 * STEPS)
    public long packedHold(PackedHeap s, Draws d) {
        LongMinHeap h = s.heap;
        long[] deltas = d.deltas;
        int j = d.cursor;
        long sum = 0;
        for (int i = 0; i < STEPS; i++, j++) {
            long k = h.pop();
            sum += k;
            h.push(k + deltas[j & MASK]);
        }
        d.cursor = j;
        return sum;
    }

    /** Pop, re-insert and decrease-key, {@link #STEPS} times. */
    @Benchmark
    @OperationsPerInvocation(3 * STEPS)
    public long indexedDecreaseKey(IndexedHeap s, Draws d) {
        IndexedMinHeap h = s.heap;
        long[] key = s.key;
        long[] deltas = d.deltas;
        int[] ids = d.ids;
        int j = d.cursor;
        long sum = 0;
        for (int i = 0; i < STEPS; i++, j++) {
            long ku = h.minKey();
            int u = h.popMin();
            sum += u;
            key[u] = ku + deltas[j & MASK];
            h.insertOrDecrease(u, key[u]);
            int v = ids[j & MASK];
            key[v] = ku + ((key[v] - ku) >>> 1);
            h.insertOrDecrease(v, key[v]);
        }
        d.cursor = j;
        return sum;
    }

    /** Top, zero its key, update three random keys, {@link #STEPS} times. */
    @Benchmark
    @OperationsPerInvocation(4 * STEPS)
    public long indexedMaxUpdate(MaxHeap s, Draws d) {
        IndexedMaxHeap h = s.heap;
        int[] ids = d.ids;
        double[] residuals = d.residuals;
        int j = d.cursor;
        long sum = 0;
        for (int i = 0; i < STEPS; i++) {
            int e = h.top();
            sum += e;
            h.update(e, 0);
            for (int k = 0; k < 3; k++, j++) {
                h.update(ids[j & MASK], residuals[j & MASK]);
            }
        }
        d.cursor = j;
        return sum;
    }
}
