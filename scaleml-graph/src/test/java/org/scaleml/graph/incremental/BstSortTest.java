package org.scaleml.graph.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scaleml.common.SplitMix64;
import org.scaleml.graph.algo.Run;
import org.scaleml.sched.Scheduler;

class BstSortTest {

    static long[] keys(int n, long seed, int distinct) {
        SplitMix64 r = new SplitMix64(seed);
        long[] k = new long[n];
        for (int i = 0; i < n; i++) {
            k[i] = distinct > 0 ? r.nextInt(distinct) - distinct / 2 : r.nextLong();
        }
        return k;
    }

    @ParameterizedTest(name = "{0} with {1} thread(s)")
    @CsvSource({"exact,1", "exact,2", "exact,4", "mq,1", "mq,2", "mq,4", "mq-tl,2", "mq-tl,4", "smq,2", "smq,4",
            "obim:delta=3,2", "obim:delta=3,4", "mq:c=8,4", "pbq,2"})
    void parallelBuildsTheSequentialTree(String scheduler, int threads) {
        for (long seed = 1; seed <= 20; seed++) {
            int n = (int) (seed * 97 % 3000);
            long[] k = keys(n, seed, seed % 3 == 0 ? 50 : 0); // every third run with many duplicates
            Run<BinarySearchTree> seq = BstSort.sequential(k, seed);
            Run<BinarySearchTree> par = BstSort.parallel(k, seed, new Scheduler(scheduler, threads, seed));
            assertThat(par.result().sameTree(seq.result())).as("seed %d", seed).isTrue();
            long[] sorted = k.clone();
            Arrays.sort(sorted);
            assertThat(par.result().sortedKeys()).isEqualTo(sorted);
            assertThat(par.stats().tasks()).isEqualTo(n + par.stats().wastedTasks());
            assertThat(par.stats().wastedTasks()).isLessThanOrEqualTo(n);
        }
    }

    @Test
    void sequentialTreeIsTheInsertionTree() {
        long[] k = {5, 3, 8, 1, 4, 5};
        // Insertion order with seed: check against a hand-made insertion of the permuted keys.
        Run<BinarySearchTree> r = BstSort.sequential(k, 7);
        long[] items = r.result().keys();
        int[] order = InsertionOrder.permutation(6, 7);
        for (int i = 0; i < 6; i++) {
            assertThat(items[i]).isEqualTo(k[order[i]]);
        }
        BinarySearchTree t = r.result();
        for (int v = 0; v < 6; v++) {
            if (t.left()[v] >= 0) {
                assertThat(items[t.left()[v]]).isLessThan(items[v]);
                assertThat(t.left()[v]).isGreaterThan(v);
            }
            if (t.right()[v] >= 0) {
                assertThat(items[t.right()[v]]).isGreaterThanOrEqualTo(items[v]);
                assertThat(t.right()[v]).isGreaterThan(v);
            }
        }
        assertThat(t.sortedKeys()).containsExactly(1, 3, 4, 5, 5, 8);
    }

    @Test
    void exactSchedulerOnOneThreadWastesNothing() {
        long[] k = keys(20_000, 3, 0);
        Run<BinarySearchTree> r = BstSort.parallel(k, 3, new Scheduler("exact", 1, 3));
        assertThat(r.stats().wastedTasks()).isZero();
        assertThat(r.stats().tasks()).isEqualTo(20_000);
    }

    @Test
    void wasteGrowsWithRelaxation() {
        // A statistical check with a generous margin, on one thread so that only the queue's relaxation causes
        // failed pops (with more threads, keys popped while their parent's partition runs fail too): a
        // MultiQueue of 2 heaps pops close to the minimum, one of 32 heaps much further from it.
        long[] k = keys(50_000, 5, 0);
        long[] waste = new long[3];
        int[] heaps = {2, 8, 32};
        for (long seed = 1; seed <= 3; seed++) {
            for (int c = 0; c < 3; c++) {
                waste[c] += BstSort.parallel(k, seed, new Scheduler("mq:c=" + heaps[c], 1, seed)).stats().wastedTasks();
            }
        }
        assertThat(waste[0]).isPositive();
        assertThat(waste[1]).isGreaterThan(waste[0]);
        assertThat(waste[2]).isGreaterThan(waste[1]);
    }

    @Test
    void emptyAndSingleInputs() {
        assertThat(BstSort.parallel(new long[0], 1, new Scheduler("mq", 2, 1)).result().sortedKeys()).isEmpty();
        assertThat(BstSort.parallel(new long[] {42}, 1, new Scheduler("mq", 2, 1)).result().sortedKeys())
                .containsExactly(42);
        assertThat(BstSort.sequential(new long[0], 1).result().height()).isZero();
    }
}
