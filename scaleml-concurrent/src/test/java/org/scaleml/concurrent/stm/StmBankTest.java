package org.scaleml.concurrent.stm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.scaleml.concurrent.TestThreads;

/**
 * Bank transfers over 64 accounts from 4 threads (more than this machine's cores), for every clock with and without
 * snapshot extension, with audits that yield half-way so that transfers commit under them: the total balance is constant, every audit (a read-only transaction over all accounts, run
 * concurrently) sees exactly that total in every attempt, aborted ones included (opacity), and no account goes
 * negative although transfers only move what the source holds.
 */
class StmBankTest {
    static final int ACCOUNTS = 64;
    static final long INITIAL = 1000;

    static List<Object[]> configs() {
        return StmHistoryCheckerTest.configs();
    }

    @ParameterizedTest(name = "{0} extend={1}")
    @MethodSource("configs")
    void transfersKeepTheTotalAndAuditsAlwaysSeeIt(String clock, boolean extend) throws Exception {
        int threads = 4;
        Stm stm = Stm.create(ACCOUNTS, VersionClocks.create(clock, threads), extend);
        stm.atomic(tx -> {
            for (int a = 0; a < ACCOUNTS; a++) {
                tx.write(a, INITIAL);
            }
        });
        long total = ACCOUNTS * INITIAL;
        AtomicLong badAudits = new AtomicLong();
        AtomicLong negative = new AtomicLong();
        AtomicLong audits = new AtomicLong();
        TestThreads.run(threads, id -> {
            SplittableRandom random = new SplittableRandom(7 + id);
            for (int i = 0; i < 20_000; i++) {
                if (i % 100 == id) {
                    stm.atomic(tx -> {
                        long sum = 0;
                        for (int a = 0; a < ACCOUNTS; a++) {
                            if (a == ACCOUNTS / 2) {
                                Thread.yield(); // lets transfers commit in the middle of the audit
                            }
                            long b = tx.read(a);
                            if (b < 0) {
                                negative.incrementAndGet();
                            }
                            sum += b;
                        }
                        if (sum != total) {
                            badAudits.incrementAndGet(); // counted in every attempt: opacity, not just commits
                        }
                    });
                    audits.incrementAndGet();
                    continue;
                }
                int from = random.nextInt(ACCOUNTS);
                int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                long amount = 1 + random.nextInt(200);
                stm.atomic(tx -> {
                    long a = tx.read(from);
                    if (a >= amount) {
                        tx.write(from, a - amount);
                        tx.write(to, tx.read(to) + amount);
                    }
                });
            }
        });
        long sum = stm.atomicLong(tx -> {
            long s = 0;
            for (int a = 0; a < ACCOUNTS; a++) {
                s += tx.read(a);
            }
            return s;
        });
        assertThat(sum).isEqualTo(total);
        assertThat(badAudits.get()).as("audit attempts that saw a wrong total").isZero();
        assertThat(negative.get()).isZero();
        assertThat(audits.get()).isEqualTo(threads * 200L);
        Stm.Stats s = stm.stats();
        assertThat(s.commits()).isEqualTo(threads * 20_000L + 2);
        if (!extend) {
            assertThat(s.extensions()).isZero();
        }
    }
}
