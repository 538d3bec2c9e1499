package org.scaleml.concurrent.stm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link Stm} contract that does not need concurrency to show, for every clock, plus argument checks. */
class StmTest {
    static List<Object[]> configs() {
        return StmHistoryCheckerTest.configs();
    }

    /**
     * Whether a thread alone may abort: the relaxed clock's read version can lag behind the versions its own
     * commits installed, and without extension a read of such a cell aborts once (then the clock has caught up).
     */
    private static boolean staleAlone(String clock, boolean extend) {
        return clock.startsWith("mc") && !extend;
    }

    private static Stm stm(String clock, boolean extend, int cells) {
        return Stm.create(cells, VersionClocks.create(clock, 2), extend);
    }

    /**
     * Runs {@code body} as a transaction on a new thread; the first time the body calls the {@link Runnable} it is
     * given, it waits there while this thread commits {@code between}. Returns the number of attempts the body made.
     */
    static int runPausedOnce(Stm stm, BiConsumer<Transaction, Runnable> body, Stm.Body between)
            throws InterruptedException {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resumed = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        Runnable pause = () -> {
            if (paused.getCount() > 0) {
                paused.countDown();
                try {
                    resumed.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        Thread t = new Thread(() -> stm.atomic(tx -> {
            attempts.incrementAndGet();
            body.accept(tx, pause);
        }));
        t.start();
        paused.await();
        stm.atomic(between);
        resumed.countDown();
        t.join();
        return attempts.get();
    }

    @ParameterizedTest(name = "{0} extend={1}")
    @MethodSource("configs")
    void readsWritesAndReadYourOwnWrites(String clock, boolean extend) {
        Stm stm = stm(clock, extend, 100);
        assertThat(stm.get(5)).isZero();
        long seen = stm.atomicLong(tx -> {
            tx.write(5, 42);
            tx.write(6, -1);
            tx.write(5, 43);
            return tx.read(5) * 1000 + tx.read(7);
        });
        assertThat(seen).isEqualTo(43_000);
        assertThat(stm.get(5)).isEqualTo(43);
        assertThat(stm.get(6)).isEqualTo(-1);
        // a large write set (grows the sets and the index)
        stm.atomic(tx -> {
            for (int c = 0; c < 100; c++) {
                tx.write(c, tx.read(c) + c);
            }
        });
        for (int c = 0; c < 100; c++) {
            assertThat(stm.get(c)).isEqualTo(c + (c == 5 ? 43 : c == 6 ? -1 : 0));
        }
        Stm.Stats s = stm.stats();
        assertThat(s.commits()).isEqualTo(3 + 1 + 1 + 100);
        if (!staleAlone(clock, extend)) {
            assertThat(s.aborts()).isZero();
            assertThat(s.abortRate()).isZero();
        }
    }

    @ParameterizedTest(name = "{0} extend={1}")
    @MethodSource("configs")
    void anExceptionInTheBodyDiscardsItsWritesAndPropagates(String clock, boolean extend) {
        Stm stm = stm(clock, extend, 4);
        assertThatThrownBy(() -> stm.atomic(tx -> {
            tx.write(0, 9);
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(stm.get(0)).isZero();
        stm.atomic(tx -> tx.write(1, 1)); // the context is usable again
        assertThat(stm.get(1)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} extend={1}")
    @MethodSource("configs")
    void nestedTransactionsJoinTheEnclosingOne(String clock, boolean extend) {
        Stm stm = stm(clock, extend, 4);
        stm.atomic(tx -> {
            tx.write(0, 1);
            stm.atomic(inner -> inner.write(1, inner.read(0) + 1));
            assertThat(tx.read(1)).isEqualTo(2);
        });
        assertThat(stm.get(1)).isEqualTo(2);
        assertThatThrownBy(() -> stm.atomic(tx -> {
            tx.write(2, 5);
            stm.atomic(inner -> {
                throw new IllegalArgumentException("inner");
            });
        })).hasMessage("inner");
        assertThat(stm.get(2)).isZero();
    }

    @ParameterizedTest(name = "{0} extend={1}")
    @MethodSource("configs")
    void aConflictingCommitMakesTheReaderRetryOnAConsistentSnapshot(String clock, boolean extend) throws Exception {
        Stm stm = stm(clock, extend, 2);
        AtomicReference<long[]> seen = new AtomicReference<>();
        int attempts = runPausedOnce(stm, (tx, pause) -> {
            long x = tx.read(0);
            pause.run();
            long y = tx.read(1);
            seen.set(new long[]{x, y});
            tx.write(0, x + y);
        }, tx -> {
            tx.write(0, 10);
            tx.write(1, 10);
        });
        assertThat(attempts).isEqualTo(2);
        assertThat(seen.get()).containsExactly(10, 10);
        assertThat(stm.get(0)).isEqualTo(20);
        if (!staleAlone(clock, extend)) {
            assertThat(stm.stats().aborts()).isEqualTo(1);
        }
    }

    @Test
    void extensionLetsAReaderContinuePastAnUnrelatedCommit() throws Exception {
        Stm stm = stm("gv1", true, 2);
        int attempts = runPausedOnce(stm, (tx, pause) -> {
            tx.read(0);
            pause.run();
            tx.read(1); // newer than the snapshot, but cell 0 did not change: extend
        }, tx -> tx.write(1, 1));
        assertThat(attempts).isEqualTo(1);
        assertThat(stm.stats().extensions()).isEqualTo(1);
        assertThat(stm.stats().aborts()).isZero();
    }

    @Test
    void aTransactionViewCannotBeUsedOutsideItsBody() {
        Stm stm = stm("gv1", true, 2);
        AtomicReference<Transaction> escaped = new AtomicReference<>();
        stm.atomic(escaped::set);
        assertThatThrownBy(() -> escaped.get().read(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside the body");
        assertThatThrownBy(() -> escaped.get().write(0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSwallowedAbortStillRetries() throws Exception {
        Stm stm = stm("gv1", false, 2);
        int attempts = runPausedOnce(stm, (tx, pause) -> {
            tx.read(0);
            pause.run();
            try {
                tx.read(1);
            } catch (Throwable t) {
                // a badly written body: the abort is swallowed, the attempt must still not commit
            }
            tx.write(0, 7);
        }, tx -> tx.write(1, 1));
        assertThat(attempts).isEqualTo(2);
        assertThat(stm.get(0)).isEqualTo(7);
    }

    @Test
    void argumentsAreChecked() {
        Stm stm = stm("gv1", true, 3);
        assertThatThrownBy(() -> stm.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> stm.atomic(tx -> tx.write(-1, 0))).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Stm.create(-1, VersionClocks.create("gv1", 1)))
                .hasMessageContaining("0 to " + Stm.MAX_CELLS + " cells");
        assertThatThrownBy(() -> Stm.create(1, null)).isInstanceOf(NullPointerException.class);
        long max = Runtime.getRuntime().maxMemory();
        if (max / 2 / 16 < Stm.MAX_CELLS) {
            assertThatThrownBy(() -> Stm.create(Stm.MAX_CELLS, VersionClocks.create("gv1", 1)))
                    .hasMessageContaining("more than half of the maximum heap");
        }
        assertThat(stm).hasToString("stm(cells=3,clock=gv1,extend=true)");
        assertThat(stm.size()).isEqualTo(3);
        assertThat(stm.extendsSnapshots()).isTrue();
        assertThat(stm.clock().spec()).isEqualTo("gv1");
    }
}
