package org.scaleml.concurrent.stm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.scaleml.concurrent.TestThreads;
import org.scaleml.concurrent.stm.HistoryChecker.Attempt;

/**
 * Serializability and opacity of the STM on recorded histories: random transaction mixes (reads, blind writes and
 * read-modify-writes over a few hot cells) from 3 threads, for every clock, with and without snapshot extension,
 * checked by {@link HistoryChecker}. The checker itself is tested on hand-made bad histories, and on a real run with a
 * deliberately unsafe clock that breaks the TL2 invariant, which it must catch.
 */
class StmHistoryCheckerTest {
    static List<Object[]> configs() {
        List<Object[]> out = new ArrayList<>();
        for (String clock : List.of("gv1", "gv4", "mc", "mc:m=1", "mc:m=64")) {
            out.add(new Object[]{clock, true});
            out.add(new Object[]{clock, false});
        }
        return out;
    }

    /** Records the attempts of the running threads; the recorder attaches installed versions to the current one. */
    private static final class Recording implements Stm.Recorder {
        final ThreadLocal<Attempt[]> current = ThreadLocal.withInitial(() -> new Attempt[1]);

        @Override
        public void committed(Tl2Transaction tx, long writeVersion) {
            Attempt a = current.get()[0];
            if (a == null) {
                return; // a transaction of the test itself (reading the final values)
            }
            a.committed = true;
            for (int e = 0; e < tx.writeCount(); e++) {
                long[] w = a.writes.get(tx.writeCell(e));
                if (w == null || w[0] != tx.writeValue(e)) {
                    throw new AssertionError("the STM committed a write the body did not make: cell " + tx.writeCell(e));
                }
                a.commit(tx.writeCell(e), tx.installedVersion(e));
            }
        }
    }

    private static List<Attempt> runMix(Stm stm, Recording rec, int threads, int txPerThread, long seed)
            throws Exception {
        int cells = stm.size();
        List<List<Attempt>> perThread = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            perThread.add(new ArrayList<>());
        }
        TestThreads.run(threads, thread -> {
            List<Attempt> mine = perThread.get(thread);
            SplittableRandom random = new SplittableRandom(seed + thread);
            long[] seq = {0};
            for (int i = 0; i < txPerThread; i++) {
                int ops = 1 + random.nextInt(6);
                boolean readOnly = random.nextInt(10) < 3;
                int[] kind = new int[ops];
                int[] cell = new int[ops];
                boolean[] yields = new boolean[ops];
                for (int k = 0; k < ops; k++) {
                    yields[k] = random.nextInt(4) == 0;
                    kind[k] = readOnly ? 0 : random.nextInt(3); // 0 read, 1 blind write, 2 read-modify-write
                    cell[k] = random.nextInt(cells);
                }
                stm.atomic(tx -> {
                    Attempt a = new Attempt(thread);
                    mine.add(a);
                    rec.current.get()[0] = a;
                    for (int k = 0; k < ops; k++) {
                        if (yields[k]) {
                            Thread.yield(); // lets others commit mid-transaction, even on one free core
                        }
                        if (kind[k] != 1) {
                            a.read(cell[k], tx.read(cell[k]));
                        }
                        if (kind[k] != 0) {
                            long v = ((long) (thread + 1) << 40) + ++seq[0];
                            tx.write(cell[k], v);
                            a.write(cell[k], v);
                        }
                    }
                });
            }
        });
        List<Attempt> all = new ArrayList<>();
        perThread.forEach(all::addAll);
        return all;
    }

    private static long[] finalValues(Stm stm) {
        long[] v = new long[stm.size()];
        for (int c = 0; c < v.length; c++) {
            v[c] = stm.get(c);
        }
        return v;
    }

    @ParameterizedTest(name = "{0} extend={1}")
    @MethodSource("configs")
    void randomMixesAreSerializableAndEveryAttemptIsOpaque(String clock, boolean extend) throws Exception {
        int threads = 3;
        long conflicts = 0;
        // A run whose threads hardly overlapped (the scheduler ran them one after another) proves little: check it
        // and run again, up to 5 times, until one met at least 100 conflicts.
        for (int run = 0; run < 5 && conflicts < 100; run++) {
            Recording rec = new Recording();
            Stm stm = Stm.recorded(6, VersionClocks.create(clock, threads), extend, rec);
            List<Attempt> history = runMix(stm, rec, threads, 3000, 11 + run);
            long committed = history.stream().filter(a -> a.committed).count();
            Stm.Stats stats = stm.stats();
            assertThat(committed).isEqualTo(3 * 3000);
            assertThat(stats.commits()).isEqualTo(committed);
            assertThat(stats.aborts()).isEqualTo(history.size() - committed);
            assertThat(HistoryChecker.violations(history, finalValues(stm))).isEmpty();
            conflicts = stats.aborts() + stats.extensions();
        }
        assertThat(conflicts).as("conflicts met (the run interleaved)").isGreaterThanOrEqualTo(100);
    }

    @Test
    void checkerAcceptsASerialHistory() {
        List<Attempt> h = List.of(
                new Attempt(0).read(0, 0).write(0, 1).commit(0, 1),
                new Attempt(1).read(0, 1).read(1, 0).write(1, 2).commit(1, 2),
                new Attempt(0).read(0, 1).read(1, 2),
                new Attempt(0).read(1, 2).write(0, 3).commit(0, 3));
        h.get(2).committed = true; // read-only commit
        assertThat(HistoryChecker.violations(h, new long[]{3, 2})).isEmpty();
    }

    @Test
    void checkerRejectsALostUpdate() {
        List<Attempt> h = List.of(
                new Attempt(0).read(0, 0).write(0, 1).commit(0, 1),
                new Attempt(1).read(0, 0).write(0, 2).commit(0, 2));
        assertThat(HistoryChecker.violations(h, new long[]{2})).anyMatch(v -> v.contains("not serializable"));
    }

    @Test
    void checkerRejectsWriteSkew() {
        List<Attempt> h = List.of(
                new Attempt(0).read(0, 0).read(1, 0).write(0, 1).commit(0, 1),
                new Attempt(1).read(0, 0).read(1, 0).write(1, 2).commit(1, 1));
        assertThat(HistoryChecker.violations(h, new long[]{1, 2})).anyMatch(v -> v.contains("not serializable"));
    }

    @Test
    void checkerRejectsAnAbortedAttemptThatSawHalfACommit() {
        List<Attempt> h = List.of(
                new Attempt(0).write(0, 1).write(1, 2).commit(0, 5).commit(1, 5),
                new Attempt(1).read(0, 1).read(1, 0)); // new x, old y: never a state of the cells
        assertThat(HistoryChecker.violations(h, new long[]{1, 2})).anyMatch(v -> v.contains("inconsistent state"));
    }

    @Test
    void checkerRejectsDirtyReadsStaleProgramOrderAndWrongFinalState() {
        List<Attempt> dirty = List.of(new Attempt(0).write(0, 7), new Attempt(1).read(0, 7));
        assertThat(HistoryChecker.violations(dirty, new long[]{0})).anyMatch(v -> v.contains("no committed"));
        List<Attempt> stale = List.of(
                new Attempt(0).write(0, 1).commit(0, 1),
                new Attempt(0).read(0, 0)); // its own thread already overwrote 0
        assertThat(HistoryChecker.violations(stale, new long[]{1})).anyMatch(v -> v.contains("inconsistent state"));
        List<Attempt> lost = List.of(new Attempt(0).write(0, 1).commit(0, 1));
        assertThat(HistoryChecker.violations(lost, new long[]{0})).anyMatch(v -> v.contains("ends at 0"));
        List<Attempt> ownRead = List.of(new Attempt(0).write(0, 1).read(0, 0));
        assertThat(HistoryChecker.violations(ownRead, new long[]{0})).anyMatch(v -> v.contains("after writing 1"));
    }

    /**
     * A clock that breaks the TL2 invariant the way naive relaxed timestamps can: every read version is 10 and every
     * write version 3, so a commit that happens after a reader started still looks old to it.
     */
    private static final class UnsafeClock implements VersionClock {
        @Override
        public long readVersion() {
            return 10;
        }

        @Override
        public long writeVersion(long readVersion) {
            return 3;
        }

        @Override
        public long catchUp(long version) {
            return Math.max(10, version);
        }

        @Override
        public boolean uniqueWriteVersions() {
            return false;
        }

        @Override
        public String spec() {
            return "unsafe";
        }
    }

    /** Reader: reads y, lets the writer commit x and y, reads x; returns the history of both. */
    private static List<Attempt> readerAroundACommit(VersionClock clock) throws Exception {
        Recording rec = new Recording();
        Stm stm = Stm.recorded(2, clock, true, rec);
        List<Attempt> all = new ArrayList<>();
        StmTest.runPausedOnce(stm, (tx, pause) -> {
            Attempt a = new Attempt(0);
            all.add(a);
            rec.current.get()[0] = a;
            a.read(1, tx.read(1));
            pause.run();
            a.read(0, tx.read(0));
        }, tx -> {
            Attempt a = new Attempt(1);
            all.add(a);
            rec.current.get()[0] = a;
            tx.write(0, 1);
            a.write(0, 1);
            tx.write(1, 2);
            a.write(1, 2);
        });
        return all;
    }

    @Test
    void checkerCatchesAClockThatBreaksTheInvariantAndTheRealClocksDoNot() throws Exception {
        assertThat(HistoryChecker.violations(readerAroundACommit(new UnsafeClock()), null))
                .anyMatch(v -> v.contains("inconsistent state") || v.contains("not serializable"));
        for (String clock : List.of("gv1", "gv4", "mc")) {
            List<Attempt> h = readerAroundACommit(VersionClocks.create(clock, 2));
            assertThat(HistoryChecker.violations(h, null)).as(clock).isEmpty();
            assertThat(h.stream().filter(a -> a.thread == 0)).as("the reader's first attempt aborts").hasSize(2);
        }
    }
}
