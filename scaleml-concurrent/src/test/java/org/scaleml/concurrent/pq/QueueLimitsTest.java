package org.scaleml.concurrent.pq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.scaleml.concurrent.heap.DaryHeap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parameters inside the syntax but beyond what can be allocated are refused before anything is allocated, with
 * one line naming the parameter and the accepted values; large arities do not overflow heap indices.
 */
class QueueLimitsTest {

    @ParameterizedTest(name = "[{index}] {0} on {1} threads")
    @CsvSource(delimiter = '|', value = {
            "mq:c=1000000|2|queuesPerThread (c) = 1000000 needs",
            "mq-tl:c=1000000|2|queuesPerThread (c) = 1000000 needs",
            "mq:c=9000000|2|queuesPerThread (c) * threads must be at most",
            "obim:chunk=100000000|2|chunk must be between 1 and 16777216, got 100000000",
            "obim:chunk=10000000|2|chunk = 10000000 needs",
            "heap:d=100000000|2|arity (d) must be between 2 and 65536, got 100000000",
            "mq:d=100000000|2|arity (d) must be between 2 and 65536, got 100000000",
            "smq:d=2147483647|2|arity (d) must be between 2 and 65536, got 2147483647",
            "mq:ibuf=2000000000|2|insertBuffer (ibuf) must be between 0 and 16777216",
            "mq:ibuf=16000000,dbuf=16000000|1024|insertBuffer (ibuf) + deleteBuffer (dbuf) = 32000000 needs",
            "smq:batch=16000000|256|batch = 16000000 needs",
            "smq:batch=1000000000|2|batch must be between 1 and 16777216"})
    void specBeyondWhatCanBeAllocatedIsRefused(String spec, int threads, String expected) {
        assertThatThrownBy(() -> PriorityQueues.create(spec, threads, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .contains("'" + spec + "'", expected)
                        .doesNotContain("\n"));
    }

    @Test
    void memoryMessageGivesTheAcceptedRangeAndTheHeap() {
        assertThatThrownBy(() -> PriorityQueues.create("mq:c=1000000", 2, 1))
                .hasMessageContaining("heaps for 2 threads")
                .hasMessageContaining("half of the maximum heap of " + Checks.bytes(Runtime.getRuntime().maxMemory()))
                .hasMessageMatching(".*accepted with these settings: 1\\.\\.[1-9][0-9]* \\(or raise -Xmx\\)");
    }

    @Test
    void largestAcceptedValueBuilds() {
        String msg = catchMessage("mq:c=1000000");
        long maxC = Long.parseLong(msg.replaceAll(".*accepted with these settings: 1\\.\\.([0-9]+).*", "$1"));
        assertThat(maxC).isPositive();
        // The largest c the message offers is accepted (capped at the hard limit of 2^24 heaps in all).
        long c = Math.min(maxC, (1 << 24) / 2);
        if (c * Checks.HEAP_BYTES * 2 < 512L << 20) { // build it only if it is small enough to keep the test cheap
            assertThat(PriorityQueues.create("mq:c=" + c, 2, 1).name()).startsWith("mq(c=" + c);
        }
        assertThatThrownBy(() -> PriorityQueues.create("mq:c=" + (maxC + 1), 2, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void directFactoriesCheckToo() {
        assertThatThrownBy(() -> PriorityQueues.obim(0, 10_000_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunk = 10000000 needs");
        assertThatThrownBy(() -> PriorityQueues.lockedHeap(100_000_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
        assertThatThrownBy(() -> PriorityQueues.multiQueue(2, new MultiQueueConfig(1_000_000, 4, 1, 0, 0), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queuesPerThread (c)");
    }

    @Test
    void hugeArityHeapKeepsItsOrder() {
        // Child indices d * i + 1 overflowed an int once i passed Integer.MAX_VALUE / d (22 for d = 10^8).
        for (int arity : new int[] {100_000_000, Integer.MAX_VALUE, Checks.MAX_ARITY}) {
            int n = arity == Checks.MAX_ARITY ? 40_000 : 200;
            DaryHeap h = new DaryHeap(arity, 16);
            Random r = new Random(arity);
            long[] prios = new long[n];
            for (int i = 0; i < n; i++) {
                prios[i] = r.nextInt(1_000_000);
                h.insert(prios[i], i);
            }
            Arrays.sort(prios);
            for (int i = 0; i < n; i++) {
                assertThat(h.minPriority()).as("arity %d, element %d", arity, i).isEqualTo(prios[i]);
                h.removeMin();
            }
            assertThat(h.isEmpty()).isTrue();
        }
    }

    @Test
    void largestArityWorksThroughTheSpecification() {
        ConcurrentPriorityQueue q = PriorityQueues.create("heap:d=65536", 2, 1);
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            for (int i = 100; i > 0; i--) {
                h.insert(i, i);
            }
            for (int i = 1; i <= 100; i++) {
                assertThat(h.tryDeleteMin()).isTrue();
                assertThat(h.priority()).isEqualTo(i);
            }
        }
    }

    private static String catchMessage(String spec) {
        try {
            PriorityQueues.create(spec, 2, 1);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError(spec + " was accepted");
    }
}
