package org.scaleml.cli.bench;

import java.util.List;
import java.util.SplittableRandom;

import org.scaleml.concurrent.stm.Stm;
import org.scaleml.concurrent.stm.StmSortedSet;
import org.scaleml.concurrent.stm.VersionClock;
import org.scaleml.concurrent.stm.VersionClocks;

/**
 * The measurement behind {@code scaleml bench stm}: transactions per second and abort rate of the TL2 STM on one
 * workload with one version clock at one thread count. T threads run transactions for S seconds on a fresh STM;
 * {@code warmups} unmeasured runs, then the median of {@code repeats}. The JMH {@code StmBenchmark} runs the same
 * workloads.
 *
 * <h2>Workloads</h2>
 * <ul>
 *   <li>{@code bank}: {@code accounts} cells of 1000 each; a transaction moves a random amount (1 to 200, if the
 *       source holds it) between two distinct random accounts: two reads, two writes.</li>
 *   <li>{@code sortedset}: a {@link StmSortedSet} of {@code keys} possible keys, half of them present at the start;
 *       a transaction is a lookup of a random key, or with probability {@code updatePercent}% an insertion or a
 *       removal (even odds) of a random key: reads along half the list on average, writes one or two cells.</li>
 *   <li>{@code clock}: no cells, only the clock: an iteration is a read version followed by a write version, the
 *       clock work of one update transaction. {@code nanosPerTx} is then the cost of that pair per thread under
 *       contention, the figure to extrapolate where a relaxed clock starts to pay; abort rate 0.</li>
 * </ul>
 */
public final class StmBench {
    private StmBench() {
    }

    /** Seed of the threads' random choices (thread i uses SEED + i, plus the run number). */
    public static final long SEED = 42;

    /** The workload names. */
    public static List<String> workloads() {
        return List.of("bank", "sortedset", "clock");
    }

    /**
     * @param accounts      cells of the bank workload, at least 2
     * @param keys          key universe of the sorted set, at least 2
     * @param updatePercent insertions plus removals per 100 sorted-set transactions, 0 to 100
     * @param extend        extend snapshots on newer reads (true) or abort (TL2's rule)
     */
    public record Settings(double seconds, int warmups, int repeats, int accounts, int keys, int updatePercent,
                           boolean extend) {
    }

    /**
     * One configuration's figures.
     *
     * @param clock           the clock specification as given
     * @param clockSpec       its canonical form (e.g. {@code mc:m=8})
     * @param txPerSec        median committed transactions per second, all threads
     * @param txPerSecRuns    every measured run, in order
     * @param abortRate       median over runs of aborted attempts per attempt
     * @param extensionsPerTx median over runs of snapshot extensions per committed transaction
     * @param nanosPerTx      {@code threads * 1e9 / txPerSec}: wall time per transaction on one thread
     */
    public record Result(String clock, String clockSpec, String workload, int threads, double txPerSec,
                         double[] txPerSecRuns, double abortRate, double extensionsPerTx, double nanosPerTx) {
        public Result {
            txPerSecRuns = txPerSecRuns.clone();
        }

        @Override
        public double[] txPerSecRuns() {
            return txPerSecRuns.clone();
        }
    }

    /** Measures one (already validated) clock specification on one workload. */
    public static Result run(String clock, String workload, int threads, Settings s) throws InterruptedException {
        if (!workloads().contains(workload)) {
            throw new IllegalArgumentException("unknown workload '" + workload + "'; known: " + workloads());
        }
        String canonical = VersionClocks.create(clock, threads).spec();
        double[] pass = new double[3];
        for (int i = 0; i < s.warmups(); i++) {
            pass(clock, workload, threads, s, -1 - i, pass);
        }
        double[] runs = new double[s.repeats()];
        double[] aborts = new double[s.repeats()];
        double[] extensions = new double[s.repeats()];
        for (int r = 0; r < s.repeats(); r++) {
            pass(clock, workload, threads, s, r, pass);
            runs[r] = pass[0];
            aborts[r] = pass[1];
            extensions[r] = pass[2];
        }
        double median = PqBench.median(runs);
        return new Result(clock, canonical, workload, threads, median, runs, PqBench.median(aborts),
                PqBench.median(extensions), threads * 1e9 / median);
    }

    /** One timed run on fresh state: {transactions per second, abort rate, extensions per commit} into {@code out}. */
    private static void pass(String clock, String workload, int threads, Settings s, long run, double[] out)
            throws InterruptedException {
        VersionClock vc = VersionClocks.create(clock, threads);
        long seed = SEED + 1000 * run;
        if (workload.equals("clock")) {
            long[] sink = new long[threads];
            TimedWorkers.Timing t = TimedWorkers.timed(threads, s.seconds(), i -> stop -> {
                long n = 0;
                long acc = 0;
                while (!stop.stop) {
                    for (int k = 0; k < 16; k++) {
                        acc += vc.writeVersion(vc.readVersion());
                    }
                    n += 16;
                }
                sink[i] = acc; // keeps the clock calls alive
                return n;
            });
            out[0] = t.perSecond();
            out[1] = 0;
            out[2] = 0;
            return;
        }
        Stm stm;
        TimedWorkers.LoopFactory loops;
        if (workload.equals("bank")) {
            stm = Stm.create(s.accounts(), vc, s.extend());
            stm.atomic(tx -> {
                for (int a = 0; a < s.accounts(); a++) {
                    tx.write(a, 1000);
                }
            });
            loops = i -> bankLoop(stm, s.accounts(), new SplittableRandom(seed + i));
        } else {
            stm = Stm.create((int) StmSortedSet.cellsNeeded(s.keys()), vc, s.extend());
            StmSortedSet set = new StmSortedSet(stm, 0, s.keys());
            for (int k = 0; k < s.keys(); k += 2) {
                set.add(k);
            }
            loops = i -> setLoop(stm, set, s.keys(), s.updatePercent(), new SplittableRandom(seed + i));
        }
        Stm.Stats before = stm.stats();
        TimedWorkers.Timing t = TimedWorkers.timed(threads, s.seconds(), loops);
        Stm.Stats after = stm.stats();
        long commits = after.commits() - before.commits();
        long aborts = after.aborts() - before.aborts();
        out[0] = t.perSecond();
        out[1] = commits + aborts == 0 ? 0 : (double) aborts / (commits + aborts);
        out[2] = commits == 0 ? 0 : (double) (after.extensions() - before.extensions()) / commits;
    }

    private static TimedWorkers.Loop bankLoop(Stm stm, int accounts, SplittableRandom random) {
        long[] args = new long[3]; // from, to, amount: set before each transaction, so the body does not allocate
        Stm.Body transfer = tx -> {
            int from = (int) args[0];
            int to = (int) args[1];
            long a = tx.read(from);
            if (a >= args[2]) {
                tx.write(from, a - args[2]);
                tx.write(to, tx.read(to) + args[2]);
            }
        };
        return stop -> {
            long n = 0;
            while (!stop.stop) {
                int from = random.nextInt(accounts);
                args[0] = from;
                args[1] = (from + 1 + random.nextInt(accounts - 1)) % accounts;
                args[2] = 1 + random.nextInt(200);
                stm.atomic(transfer);
                n++;
            }
            return n;
        };
    }

    private static TimedWorkers.Loop setLoop(Stm stm, StmSortedSet set, int keys, int updatePercent,
                                             SplittableRandom random) {
        long[] key = new long[1];
        Stm.LongBody contains = tx -> set.contains(tx, key[0]) ? 1 : 0;
        Stm.LongBody add = tx -> set.add(tx, key[0]) ? 1 : 0;
        Stm.LongBody remove = tx -> set.remove(tx, key[0]) ? 1 : 0;
        long[] sink = new long[1];
        return stop -> {
            long n = 0;
            while (!stop.stop) {
                key[0] = random.nextInt(keys);
                int op = random.nextInt(200);
                sink[0] += stm.atomicLong(op >= 2 * updatePercent ? contains : (op & 1) == 0 ? add : remove);
                n++;
            }
            return n;
        };
    }
}
