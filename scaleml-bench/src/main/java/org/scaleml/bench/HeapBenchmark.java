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
 *       {@code [1, 2^24]}, so the size stays at {@code size}. Two operations per invocation.</li>
 *   <li>{@link #packedHold}: the same hold workload on {@link LongMinHeap}, the lazy heap of packed
 *       {@code dist << bits | node} words of the sequential Dijkstra. Two operations per invocation.</li>
 *   <li>{@link #indexedDecreaseKey}: the Dijkstra/A* mix on {@link IndexedMinHeap}: pop the minimum item, insert it
 *       again with a larger key, and lower the key of a random item half way to the popped key. Three operations
 *       per invocation; the heap holds {@code size} items.</li>
 *   <li>{@link #indexedMaxUpdate}: the residual-BP mix on {@link IndexedMaxHeap}: take the top id, set its key to
 *       0, and set the keys of three random ids to random values. Four operations per invocation over {@code size}
 *       ids.</li>
 * </ul>
 * Random draws are made once per trial from {@code SplittableRandom(SEED)} into tables read in a cycle, so an
 * invocation is heap work and table reads only.
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
@Fork(1)
public class HeapBenchmark {

    /** Seed of every table of random draws. */
    public static final long SEED = 0x5CA1E5EEDL;

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

        long nextDelta() {
            return deltas[cursor++ & MASK];
        }

        int nextId() {
            return ids[cursor++ & MASK];
        }

        double nextResidual() {
            return residuals[cursor++ & MASK];
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

    /** Remove-min then insert. */
    @Benchmark
    @OperationsPerInvocation(2)
    public long pairHold(PairHeap s, Draws d) {
        DaryHeap h = s.heap;
        long p = h.minPriority();
        long payload = h.minPayload();
        h.removeMin();
        h.insert(p + d.nextDelta(), payload);
        return payload;
    }

    /** Pop then push. */
    @Benchmark
    @OperationsPerInvocation(2)
    public long packedHold(PackedHeap s, Draws d) {
        long k = s.heap.pop();
        s.heap.push(k + d.nextDelta());
        return k;
    }

    /** Pop, re-insert with a larger key, halve the distance of a random item's key to the popped key. */
    @Benchmark
    @OperationsPerInvocation(3)
    public int indexedDecreaseKey(IndexedHeap s, Draws d) {
        IndexedMinHeap h = s.heap;
        long[] key = s.key;
        long ku = h.minKey();
        int u = h.popMin();
        key[u] = ku + d.nextDelta();
        h.insertOrDecrease(u, key[u]);
        int v = d.nextId();
        key[v] = ku + ((key[v] - ku) >>> 1);
        h.insertOrDecrease(v, key[v]);
        return u;
    }

    /** Take the top id and zero its key, then set three random ids' keys. */
    @Benchmark
    @OperationsPerInvocation(4)
    public int indexedMaxUpdate(MaxHeap s, Draws d) {
        IndexedMaxHeap h = s.heap;
        int e = h.top();
        h.update(e, 0);
        h.update(d.nextId(), d.nextResidual());
        h.update(d.nextId(), d.nextResidual());
        h.update(d.nextId(), d.nextResidual());
        return e;
    }
}
