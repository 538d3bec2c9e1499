package org.scaleml.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Failures stop the run promptly and surface from run(); bad configurations are rejected up front. */
@Timeout(60)
class SchedulerFailureTest {

    /**
     * An endless fan-out (every task pushes two) whose 777th execution throws; every worker must still stop. (By
     * count, not by payload: a LIFO-within-bucket queue such as OBIM would never reach a given payload.)
     */
    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("org.scaleml.sched.SchedulerCases#schedulersAndThreads")
    void exceptionInABodyStopsEveryWorkerAndIsRethrown(String scheduler, int threads) {
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            made.add(t);
            return t;
        };
        Scheduler s = new Scheduler(scheduler, threads, SchedulerCases.SEED, factory);
        AtomicInteger executed = new AtomicInteger();
        AtomicLong thrower = new AtomicLong(-1);
        assertThatThrownBy(() -> s.run(sink -> sink.push(0, 0), (p, k, ctx) -> {
            if (executed.incrementAndGet() == 777) {
                thrower.set(k);
                throw new IllegalStateException("boom at 777");
            }
            ctx.push(p + 1, 2 * k + 1);
            ctx.push(p + 1, 2 * k + 2); // never runs dry: only the failure can end this run
            return true;
        }))
                .isInstanceOf(TaskExecutionException.class)
                .hasMessageContaining("payload=")
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("boom at 777")
                .satisfies(e -> assertThat(((TaskExecutionException) e).payload()).isEqualTo(thrower.get()));
        assertThat(made).hasSize(threads - 1).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
    }

    @Test
    void checkedExceptionsAndErrorsAreCausesToo() {
        Scheduler s = new Scheduler("obim", 2, SchedulerCases.SEED);
        assertThatThrownBy(() -> s.run(sink -> sink.push(5, 1), (p, k, ctx) -> {
            throw new IOException("disk on fire");
        })).isInstanceOf(TaskExecutionException.class).hasCauseInstanceOf(IOException.class)
                .satisfies(e -> assertThat(((TaskExecutionException) e).priority()).isEqualTo(5));
        assertThatThrownBy(() -> s.run(sink -> sink.push(5, 1), (p, k, ctx) -> {
            throw new AssertionError("broken invariant");
        })).isInstanceOf(TaskExecutionException.class).hasCauseInstanceOf(AssertionError.class);
        // and the scheduler is usable afterwards
        assertThat(s.run(sink -> sink.push(1, 1), (p, k, ctx) -> true).tasks()).isEqualTo(1);
    }

    @Test
    void failingPartitionedSeederIsReported() {
        Scheduler s = new Scheduler("mq", 3, SchedulerCases.SEED);
        assertThatThrownBy(() -> s.runPartitioned((w, t, sink) -> {
            sink.push(w, w);
            if (w == 2) {
                throw new IllegalArgumentException("bad seed file");
            }
        }, (p, k, ctx) -> true)).isInstanceOf(TaskExecutionException.class).hasMessageContaining("seeder")
                .hasRootCauseMessage("bad seed file");
    }

    @Test
    void failingSeederOnTheCallingThreadPropagatesUnchanged() {
        Scheduler s = new Scheduler("smq", 2, SchedulerCases.SEED);
        assertThatThrownBy(() -> s.run(sink -> {
            throw new IllegalStateException("no input");
        }, (p, k, ctx) -> true)).isExactlyInstanceOf(IllegalStateException.class).hasMessage("no input");
    }

    @Test
    void failingThreadFactoryIsReportedAndStartedWorkersStop() {
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory factory = r -> {
            if (made.size() == 2) {
                throw new IllegalStateException("no more threads");
            }
            Thread t = new Thread(r);
            made.add(t);
            return t;
        };
        Scheduler s = new Scheduler("mq", 4, SchedulerCases.SEED, factory);
        assertThatThrownBy(() -> s.run(sink -> sink.push(0, 0), (p, k, ctx) -> true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no more threads");
        assertThat(made).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
        assertThatThrownBy(() -> new Scheduler("mq", 2, 1, r -> null).run(sink -> { }, (p, k, ctx) -> true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("null");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void threadsBelowOneAreRejected(int threads) {
        assertThatThrownBy(() -> new Scheduler("mq", threads, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads").hasMessageContaining(String.valueOf(threads));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fifo", "exactly", "obim2", "mq:c=0", "obim:delta=99", "obim:chunk=0", "smq:x=1"})
    void unknownOrInvalidSchedulerIsRejectedNamingIt(String name) {
        assertThatThrownBy(() -> new Scheduler(name, 2, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'")
                .satisfies(e -> assertThat(e.getMessage()).contains("exact", "obim", "smq"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void blankSchedulerIsRejected(String name) {
        assertThatThrownBy(() -> new Scheduler(name, 2, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty scheduler name").hasMessageContaining("exact");
        assertThatThrownBy(() -> new Scheduler(null, 2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullSeederOrBodyIsRejected() {
        Scheduler s = new Scheduler("exact", 1, 1);
        assertThatThrownBy(() -> s.run(null, (p, k, ctx) -> true)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("seeder");
        assertThatThrownBy(() -> s.run(sink -> { }, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("body");
    }

    @Test
    void namesAndAliases() {
        assertThat(Scheduler.names()).startsWith("exact").contains("heap", "mq", "mq-tl", "smq", "obim", "skiplist",
                "pbq");
        for (String name : Scheduler.names()) {
            Scheduler s = new Scheduler(name, 2, 1);
            assertThat(s.name()).isEqualTo(name);
            assertThat(s.queueName()).isNotBlank();
        }
        assertThat(new Scheduler("exact", 1, 1).queueName()).startsWith("heap");
        assertThat(new Scheduler("EXACT:d=8", 1, 1).queueSpecification()).isEqualTo("heap:d=8");
        assertThat(new Scheduler(" obim:delta=3 ", 1, 1).queueName()).isEqualTo("obim(delta=3,chunk=64)");
        assertThat(Scheduler.queueSpec("mq:c=4")).isEqualTo("mq:c=4");
    }

    @Test
    void extraWorkRatio() {
        RunStats st = new RunStats("mq", "mq(c=2,d=4)", 2, 110, 10, 3, -1, 1_000_000);
        assertThat(st.usefulTasks()).isEqualTo(100);
        assertThat(st.extraTasks(100)).isEqualTo(10);
        assertThat(st.extraWorkRatio(100)).isEqualTo(0.1);
        assertThat(st.wallMillis()).isEqualTo(1.0);
        assertThat(st.extraWorkRatio(0)).isInfinite();
        assertThatThrownBy(() -> st.extraWorkRatio(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
