package org.scaleml.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

/** The schedulers and thread counts every scheduler test runs on, and the fixed seed. */
final class SchedulerCases {
    static final long SEED = 0x5CED_2024L;

    /**
     * Every named scheduler, plus configurations that stress termination: OBIM publishing every task at once and
     * with one priority per bucket, and MultiQueues with insertion and deletion buffers (tasks hidden in handles).
     */
    static final List<String> SCHEDULERS = List.of("exact", "skiplist", "pbq", "mq", "mq-tl", "smq", "obim",
            "obim:delta=0,chunk=1", "obim:delta=0,chunk=64", "mq:c=4,ibuf=16,dbuf=16", "exact:d=8");

    /** One and two threads (the cores here) and four (more threads than cores). */
    static final int[] THREADS = {1, 2, 4};

    private SchedulerCases() {
    }

    static Stream<Arguments> schedulersAndThreads() {
        List<Arguments> out = new ArrayList<>();
        for (String s : SCHEDULERS) {
            for (int t : THREADS) {
                out.add(Arguments.of(s, t));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> schedulersWithFourThreads() {
        return SCHEDULERS.stream().map(s -> Arguments.of(s, 4));
    }

    /** A cheap, well-spread priority for a payload (so relaxed queues really reorder). */
    static long scramble(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (h ^ (h >>> 29)) & 0xFFFFF;
    }

    /** Burns roughly {@code nanos} of CPU without sleeping (so the worker stays busy, not idle). */
    static void busyWait(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
