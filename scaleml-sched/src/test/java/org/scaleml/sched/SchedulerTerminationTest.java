package org.scaleml.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Termination: every pushed task runs exactly once, the run ends when (and only when) no task is left, and no
 * worker stops while a task is in flight, on every scheduler, with one thread, two, and more than there are
 * cores.
 */
@Timeout(60)
class SchedulerTerminationTest {

    /** Task k < n pushes 2k+1 and 2k+2: a binary tree of exactly n tasks from one seed. */
    private static RunStats fanOut(Scheduler s, int n, AtomicIntegerArray seen) {
        return s.run(sink -> sink.push(0, 0), (priority, k, ctx) -> {
            seen.incrementAndGet((int) k);
            for (long child = 2 * k + 1; child <= 2 * k + 2; child++) {
                if (child < n) {
                    ctx.push(SchedulerCases.scramble(child), child);
                }
            }
            return true;
        });
    }

    private static void assertEachOnce(AtomicIntegerArray seen, String what) {
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < seen.length() && bad.size() < 10; i++) {
            if (seen.get(i) != 1) {
                bad.add("payload " + i + " executed " + seen.get(i) + " times");
            }
        }
        assertThat(bad).as(what).isEmpty();
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("org.scaleml.sched.SchedulerCases#schedulersAndThreads")
    void fanOutRunsEveryTaskExactlyOnce(String scheduler, int threads) {
        int n = 30_000;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        Scheduler s = new Scheduler(scheduler, threads, SchedulerCases.SEED);
        RunStats st = fanOut(s, n, seen);
        assertEachOnce(seen, scheduler);
        assertThat(st.tasks()).isEqualTo(n);
        assertThat(st.wastedTasks()).isZero();
        assertThat(st.usefulTasks()).isEqualTo(n);
        assertThat(st.threads()).isEqualTo(threads);
        assertThat(st.scheduler()).isEqualTo(scheduler);
        if (st.queue().startsWith("smq")) {
            // one handle holds nothing to steal from; with more, the fan-out's seeds sit in one worker's heap
            assertThat(st.steals()).isGreaterThanOrEqualTo(0);
            if (threads == 1) {
                assertThat(st.steals()).isZero();
            }
        } else {
            assertThat(st.steals()).isEqualTo(-1);
        }
        assertThat(st.extraWorkRatio(n)).isZero();
        // the same scheduler runs again, independently
        AtomicIntegerArray again = new AtomicIntegerArray(n);
        assertThat(fanOut(s, n, again).tasks()).isEqualTo(n);
        assertEachOnce(again, scheduler + ", second run");
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("org.scaleml.sched.SchedulerCases#schedulersAndThreads")
    void manySeedsAndWastedTasksAreCounted(String scheduler, int threads) {
        int n = 5_000;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        RunStats st = new Scheduler(scheduler, threads, SchedulerCases.SEED).run(sink -> {
            for (int k = 0; k < n; k++) {
                sink.push(SchedulerCases.scramble(k) - 500_000, k); // negative priorities too
            }
        }, (p, k, ctx) -> {
            seen.incrementAndGet((int) k);
            return k % 3 != 0;
        });
        assertEachOnce(seen, scheduler);
        assertThat(st.tasks()).isEqualTo(n);
        assertThat(st.wastedTasks()).isEqualTo((n + 2) / 3);
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("org.scaleml.sched.SchedulerCases#schedulersAndThreads")
    void partitionedSeedingRunsEveryTaskOnce(String scheduler, int threads) {
        int n = 20_000;
        AtomicIntegerArray seen = new AtomicIntegerArray(2 * n);
        RunStats st = new Scheduler(scheduler, threads, SchedulerCases.SEED).runPartitioned((w, t, sink) -> {
            for (int k = w; k < n; k += t) {
                sink.push(SchedulerCases.scramble(k), k);
            }
        }, (p, k, ctx) -> {
            seen.incrementAndGet((int) k);
            if (k < n && k % 2 == 0) {
                ctx.push(p + 1, n + k); // one child for every even seed
            }
            return true;
        });
        for (int k = 0; k < 2 * n; k++) {
            int expected = k < n || (k - n) % 2 == 0 ? 1 : 0;
            if (seen.get(k) != expected) {
                assertThat(seen.get(k)).as("%s: payload %d", scheduler, k).isEqualTo(expected);
            }
        }
        assertThat(st.tasks()).isEqualTo(n + n / 2);
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("org.scaleml.sched.SchedulerCases#schedulersAndThreads")
    void emptyRunEndsAtOnce(String scheduler, int threads) {
        RunStats st = new Scheduler(scheduler, threads, SchedulerCases.SEED).run(sink -> { }, (p, x, ctx) -> {
            throw new AssertionError("no task was pushed");
        });
        assertThat(st.tasks()).isZero();
        assertThat(st.extraWorkRatio(0)).isZero();
    }

    /**
     * Late arrivals: tasks appear only after long busy waits, so the other workers are idle (and polling empty
     * queues) for most of the run. Every worker thread must stop only after the last task body ended: a worker
     * that concluded termination early would stop before it.
     */
    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("org.scaleml.sched.SchedulerCases#schedulersAndThreads")
    void idleWorkersWaitForLateTasks(String scheduler, int threads) {
        ConcurrentLinkedQueue<Long> exitTimes = new ConcurrentLinkedQueue<>();
        ThreadFactory factory = r -> {
            Thread t = new Thread(() -> {
                r.run();
                exitTimes.add(System.nanoTime());
            });
            t.setDaemon(true);
            return t;
        };
        AtomicLong lastBodyEnd = new AtomicLong(Long.MIN_VALUE);
        AtomicLongArray perWorker = new AtomicLongArray(threads);
        int chain = 12;
        int wide = 300; // more than a chunk or buffer holds, so some of it is published while the pusher works
        RunStats st = new Scheduler(scheduler, threads, SchedulerCases.SEED, factory).run(sink -> sink.push(0, 0),
                (p, k, ctx) -> {
                    perWorker.incrementAndGet(ctx.worker());
                    if (k < chain) { // a chain: one task at a time, each after 1 ms of work
                        SchedulerCases.busyWait(1_000_000);
                        ctx.push(p + 1, k + 1);
                    } else if (k == chain) { // then a late burst of slow tasks
                        SchedulerCases.busyWait(1_000_000);
                        for (int i = 1; i <= wide; i++) {
                            ctx.push(p + 1, chain + i);
                        }
                    } else {
                        SchedulerCases.busyWait(40_000);
                    }
                    lastBodyEnd.accumulateAndGet(System.nanoTime(), Math::max);
                    return true;
                });
        assertThat(st.tasks()).isEqualTo(chain + 1 + wide);
        assertThat(exitTimes).hasSize(threads - 1);
        for (long exit : exitTimes) {
            assertThat(exit).as("a worker stopped before the last task ended").isGreaterThan(lastBodyEnd.get());
        }
        assertThat(st.emptyPolls()).as("idle workers polled").isGreaterThanOrEqualTo(threads > 1 ? 1 : 0);
        // Which workers ran the burst is deliberately not asserted: on a loaded machine one worker may run it all.
        long ran = 0;
        for (int w = 0; w < threads; w++) {
            ran += perWorker.get(w);
        }
        assertThat(ran).isEqualTo(st.tasks());
    }

    @Test
    void monitorReportsProgress() {
        RunMonitor monitor = new RunMonitor();
        assertThat(monitor.isRunning()).isFalse();
        assertThat(monitor.tasksExecuted()).isZero();
        int n = 10_000;
        AtomicLong seenRunning = new AtomicLong();
        AtomicLong maxSeenExecuted = new AtomicLong();
        RunStats st = new Scheduler("mq", 2, SchedulerCases.SEED).run(sink -> sink.push(0, 0), (p, k, ctx) -> {
            if (k == n / 2) {
                seenRunning.set(monitor.isRunning() ? 1 : 2);
                maxSeenExecuted.set(monitor.tasksExecuted());
            }
            for (long c = 2 * k + 1; c <= 2 * k + 2 && c < n; c++) {
                ctx.push(c, c);
            }
            return true;
        }, monitor);
        assertThat(seenRunning.get()).isEqualTo(1);
        assertThat(maxSeenExecuted.get()).isBetween(1L, (long) n);
        assertThat(monitor.isRunning()).isFalse();
        assertThat(monitor.tasksExecuted()).isEqualTo(st.tasks()).isEqualTo(n);
        assertThat(monitor.tasksCreated()).isEqualTo(n);
    }

    @Test
    void threadsComeFromTheFactoryAndAreJoined() {
        List<Thread> made = new ArrayList<>();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "custom-" + made.size());
            made.add(t);
            return t;
        };
        int n = 2_000;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        RunStats st = fanOut(new Scheduler("obim", 3, SchedulerCases.SEED, factory), n, seen);
        assertThat(st.tasks()).isEqualTo(n);
        assertThat(made).hasSize(2).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
    }

    @Tag("stress")
    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("org.scaleml.sched.SchedulerCases#schedulersWithFourThreads")
    @Timeout(600)
    void stressFanOutRepeated(String scheduler, int threads) {
        for (int t : new int[] {threads, 8}) {
            Scheduler s = new Scheduler(scheduler, t, SchedulerCases.SEED + t);
            for (int rep = 0; rep < 5; rep++) {
                int n = 400_000;
                AtomicIntegerArray seen = new AtomicIntegerArray(n);
                assertThat(fanOut(s, n, seen).tasks()).isEqualTo(n);
                assertEachOnce(seen, scheduler + ", rep " + rep);
            }
        }
    }

    @Tag("stress")
    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("org.scaleml.sched.SchedulerCases#schedulersWithFourThreads")
    @Timeout(600)
    void stressManyTinyRuns(String scheduler, int threads) {
        // termination races are likeliest when runs are short: thousands of runs of a few tasks each
        Scheduler s = new Scheduler(scheduler, 8, SchedulerCases.SEED);
        for (int rep = 0; rep < 1_000; rep++) {
            int n = 1 + rep % 40;
            AtomicIntegerArray seen = new AtomicIntegerArray(n);
            assertThat(fanOut(s, n, seen).tasks()).as("%s rep %d", scheduler, rep).isEqualTo(n);
            assertEachOnce(seen, scheduler + ", rep " + rep);
        }
    }
}
