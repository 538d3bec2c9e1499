package org.scaleml.concurrent.quality;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.scaleml.concurrent.pq.ConcurrentPriorityQueue;

/**
 * Measures rank error live, under real concurrency, by sampling: a wrapper queue whose handles keep a count of
 * present elements per priority and, on every {@code every}-th successful deletion, read how many present
 * elements have a smaller priority.
 *
 * <p><b>How.</b> Each handle owns a Fenwick tree of {@code int} counts over the priority domain
 * {@code [0, domain)}. An insertion adds one in the inserting handle's tree before the element enters the queue;
 * a deletion subtracts one in the deleting handle's tree (a handle's counts may go negative; the sum over all
 * trees is the number present). The owner writes its tree with opaque stores and samplers read every tree with
 * opaque loads, so no tree is ever contended and the hot path costs about log2(domain) uncontended stores.
 *
 * <p><b>What the number means.</b> A sample sums the trees while other threads keep working, so it is not an
 * atomic snapshot: it can be off by about the number of operations in flight (at most one per other thread at
 * a time, plus elements whose insertion has been counted but not completed). Use {@link RankReplay} when an
 * exact figure is needed; use this sampler to see rank error in a run that is not slowed by a global ticket.
 * Delay is not measured ({@link RelaxationReport#hasDelay()} is false).
 *
 * <p>Priorities must lie in {@code [0, domain)}; others are rejected with {@link IllegalArgumentException}.
 * Memory: 4 bytes times {@code domain} per handle.
 */
public final class ConcurrentRankSampler extends ForwardingQueue {
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    private final int domain;
    private final int every;
    /** Registered handles, copy-on-write so that samplers read it without locking or allocating. */
    private volatile SamplingHandle[] handles = new SamplingHandle[0];

    /**
     * @param delegate the queue to measure
     * @param domain   priorities are in {@code [0, domain)}; at least 1
     * @param every    sample one deletion in {@code every} per handle; at least 1
     */
    public ConcurrentRankSampler(ConcurrentPriorityQueue delegate, int domain, int every) {
        super(delegate);
        if (domain < 1) {
            throw new IllegalArgumentException("domain must be at least 1, got " + domain);
        }
        if (every < 1) {
            throw new IllegalArgumentException("every must be at least 1, got " + every);
        }
        this.domain = domain;
        this.every = every;
    }

    @Override
    public Handle register() {
        SamplingHandle h = new SamplingHandle(delegate.register());
        synchronized (this) {
            SamplingHandle[] a = handles;
            SamplingHandle[] b = Arrays.copyOf(a, a.length + 1);
            b[a.length] = h;
            handles = b;
        }
        return h;
    }

    /** Summary of the samples taken so far by all handles; call when the handles are idle. */
    public RelaxationReport report() {
        SamplingHandle[] hs = snapshotHandles();
        int n = 0;
        for (SamplingHandle h : hs) {
            n += h.sampleCount;
        }
        long[] all = new long[n];
        int at = 0;
        for (SamplingHandle h : hs) {
            System.arraycopy(h.samples, 0, all, at, h.sampleCount);
            at += h.sampleCount;
        }
        return RelaxationReport.of(all, n, null);
    }

    private SamplingHandle[] snapshotHandles() {
        return handles;
    }

    private long countBelow(int priority) {
        long s = 0;
        for (SamplingHandle h : snapshotHandles()) {
            int[] tree = h.tree;
            for (int i = priority; i > 0; i -= i & -i) {
                s += (int) INTS.getOpaque(tree, i);
            }
        }
        return s;
    }

    private final class SamplingHandle extends ForwardingHandle {
        final int[] tree = new int[domain + 1];
        long[] samples = new long[256];
        int sampleCount;
        private int untilSample = every;

        SamplingHandle(Handle inner) {
            super(inner);
        }

        private void add(int index, int delta) {
            int[] t = tree;
            for (int i = index + 1; i < t.length; i += i & -i) {
                INTS.setOpaque(t, i, (int) INTS.getOpaque(t, i) + delta);
            }
        }

        @Override
        void beforeInsert(long priority) {
            if (priority < 0 || priority >= domain) {
                throw new IllegalArgumentException("priority " + priority + " outside the sampler's domain [0, " + domain + ")");
            }
            add((int) priority, 1);
        }

        @Override
        void afterDelete(long priority) {
            int p = (int) priority;
            if (--untilSample == 0) {
                untilSample = every;
                if (sampleCount == samples.length) {
                    samples = Arrays.copyOf(samples, sampleCount * 2);
                }
                samples[sampleCount++] = countBelow(p);
            }
            add(p, -1);
        }
    }
}
