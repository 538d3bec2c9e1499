package org.scaleml.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.scaleml.concurrent.stm.Stm;
import org.scaleml.concurrent.stm.StmSortedSet;
import org.scaleml.concurrent.stm.VersionClock;
import org.scaleml.concurrent.stm.VersionClocks;

/**
 * Committed transactions per second of the TL2 {@link Stm} with each version clock, at 1 and 2 threads, on the
 * workloads of {@code scaleml bench stm}: {@code bank} (a transfer between two random accounts of {@code accounts}),
 * {@code sortedset} (a lookup, or with {@code updatePercent}% an insertion or removal, in a {@link StmSortedSet} of
 * {@code keys} keys, half present) and {@code clock} (a read version plus a write version: the clock alone, whose
 * inverse score is the cost of one transaction's clock work under contention). The abort rate and extensions per
 * transaction of each trial are printed after it ({@code # stm ...} lines); the STM is fresh for each trial.
 *
 * <p>Run (about 9 minutes on 2 cores):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar StmBenchmark
 * }</pre>
 * Variants: {@code -p clock=gv1,mc -p workload=bank}, {@code -p extend=false} for TL2's abort-on-newer-read rule,
 * {@code -p accounts=1024} for less contention, {@code -f 3} for more forks, {@code -rf json -rff stm.json}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class StmBenchmark {

    /** The STM (or, for {@code clock}, just the clock), shared by the threads of a trial. */
    @State(Scope.Benchmark)
    public static class Shared {
        /** Version clock, as accepted by {@link VersionClocks#create}. */
        @Param({"gv1", "gv4", "mc"})
        public String clock;

        /** {@code bank}, {@code sortedset} or {@code clock}. */
        @Param({"bank", "sortedset", "clock"})
        public String workload;

        @Param({"64"})
        public int accounts;

        @Param({"256"})
        public int keys;

        @Param({"20"})
        public int updatePercent;

        @Param({"true"})
        public boolean extend;

        VersionClock versionClock;
        /** 0 bank, 1 sortedset, 2 clock (a switch on an int in the measured path). */
        int kind;
        Stm stm;
        StmSortedSet set;
        Stm.Stats before;

        @Setup(Level.Trial)
        public void create(BenchmarkParams params) {
            versionClock = VersionClocks.create(clock, params.getThreads());
            kind = java.util.List.of("bank", "sortedset", "clock").indexOf(workload);
            switch (workload) {
                case "bank" -> {
                    stm = Stm.create(accounts, versionClock, extend);
                    stm.atomic(tx -> {
                        for (int a = 0; a < accounts; a++) {
                            tx.write(a, 1000);
                        }
                    });
                }
                case "sortedset" -> {
                    stm = Stm.create((int) StmSortedSet.cellsNeeded(keys), versionClock, extend);
                    set = new StmSortedSet(stm, 0, keys);
                    for (int k = 0; k < keys; k += 2) {
                        set.add(k);
                    }
                }
                case "clock" -> stm = null;
                default -> throw new IllegalArgumentException("unknown workload '" + workload
                        + "'; expected bank, sortedset or clock");
            }
            before = stm == null ? null : stm.stats();
        }

        @TearDown(Level.Trial)
        public void report() {
            if (stm != null) {
                Stm.Stats after = stm.stats();
                long commits = after.commits() - before.commits();
                long aborts = after.aborts() - before.aborts();
                System.out.printf("%n# stm %s %s: abortRate=%.4f extensionsPerTx=%.4f (%d commits)%n", clock,
                        workload, commits + aborts == 0 ? 0.0 : (double) aborts / (commits + aborts),
                        commits == 0 ? 0.0 : (double) (after.extensions() - before.extensions()) / commits, commits);
            }
        }
    }

    /** One thread's random source and transaction bodies (built once, so a transaction allocates nothing). */
    @State(Scope.Thread)
    public static class PerThread {
        SplittableRandom random;
        final long[] args = new long[3];
        Stm.Body transfer;
        Stm.LongBody contains;
        Stm.LongBody add;
        Stm.LongBody remove;

        @Setup(Level.Trial)
        public void create(Shared s, ThreadParams t) {
            random = new SplittableRandom(0x5CA1E5EEDL + t.getThreadIndex());
            transfer = tx -> {
                int from = (int) args[0];
                int to = (int) args[1];
                long a = tx.read(from);
                if (a >= args[2]) {
                    tx.write(from, a - args[2]);
                    tx.write(to, tx.read(to) + args[2]);
                }
            };
            if (s.set != null) {
                contains = tx -> s.set.contains(tx, args[0]) ? 1 : 0;
                add = tx -> s.set.add(tx, args[0]) ? 1 : 0;
                remove = tx -> s.set.remove(tx, args[0]) ? 1 : 0;
            }
        }
    }

    @Benchmark
    @Threads(1)
    public long oneThread(Shared s, PerThread t) {
        return transaction(s, t);
    }

    @Benchmark
    @Threads(2)
    public long twoThreads(Shared s, PerThread t) {
        return transaction(s, t);
    }

    private static long transaction(Shared s, PerThread t) {
        switch (s.kind) {
            case 0 -> {
                int from = t.random.nextInt(s.accounts);
                t.args[0] = from;
                t.args[1] = (from + 1 + t.random.nextInt(s.accounts - 1)) % s.accounts;
                t.args[2] = 1 + t.random.nextInt(200);
                s.stm.atomic(t.transfer);
                return from;
            }
            case 1 -> {
                t.args[0] = t.random.nextInt(s.keys);
                int op = t.random.nextInt(200);
                return s.stm.atomicLong(op >= 2 * s.updatePercent ? t.contains : (op & 1) == 0 ? t.add : t.remove);
            }
            default -> {
                VersionClock c = s.versionClock;
                return c.writeVersion(c.readVersion());
            }
        }
    }
}
