package org.scaleml.concurrent.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IndexedMinHeapTest {
    /** Random inserts, decrease-keys and pops against a TreeSet of (key, item) pairs. */
    @Test
    void matchesTreeSetUnderRandomOperations() {
        int n = 500;
        SplittableRandom rnd = new SplittableRandom(42);
        IndexedMinHeap heap = new IndexedMinHeap(n);
        TreeSet<long[]> ref = new TreeSet<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long[] key = new long[n];
        Arrays.fill(key, -1);
        for (int step = 0; step < 50_000; step++) {
            int op = rnd.nextInt(3);
            if (op < 2) {
                int item = rnd.nextInt(n);
                long k;
                if (key[item] >= 0) {
                    k = key[item] - rnd.nextLong(Math.min(key[item], 1000) + 1);
                    ref.remove(new long[] {key[item], item});
                } else {
                    k = rnd.nextLong(1L << 40) + (rnd.nextBoolean() ? 1L << 50 : 0); // beyond 2^32 too
                }
                key[item] = k;
                ref.add(new long[] {k, item});
                heap.insertOrDecrease(item, k);
                assertThat(heap.contains(item)).isTrue();
            } else if (!ref.isEmpty()) {
                long[] top = ref.pollFirst();
                assertThat(heap.minKey()).isEqualTo(top[0]);
                int popped = heap.popMin();
                assertThat(key[popped]).isEqualTo(top[0]); // ties may pop either item
                if (popped != top[1]) {
                    ref.remove(new long[] {top[0], popped});
                    ref.add(top);
                }
                key[popped] = -1;
                assertThat(heap.contains(popped)).isFalse();
            }
            assertThat(heap.size()).isEqualTo(ref.size());
        }
        heap.clear();
        assertThat(heap.isEmpty()).isTrue();
        for (int i = 0; i < n; i++) {
            assertThat(heap.contains(i)).isFalse();
        }
    }
}
