package org.scaleml.concurrent.quality;

import java.util.Arrays;
import java.util.List;

/**
 * Exact relaxation measurement by sequential replay of an {@link OperationLog}.
 *
 * <p>The log's operations are put in ticket order and replayed against an order-statistics structure (a
 * Fenwick tree over the distinct priorities of the log): at every deletion the rank error is the number of
 * present elements with a strictly smaller priority, and every element's delay is the number of deletions of
 * strictly larger priorities between its insertion and its deletion (a second Fenwick tree counts deletions per
 * priority; an element remembers the count of larger deletions at its insertion). Among equal priorities the
 * replay assumes the oldest was removed first, which only affects the delay of equal-priority elements.
 *
 * <p>Cost: O(m log m) time and O(m) memory for m logged operations. The replay also checks the log: a deletion
 * of a priority that is not present (an element returned twice, or never inserted) is reported as an
 * {@link IllegalStateException} naming the ticket.
 */
public final class RankReplay {
    private RankReplay() {
    }

    /** Replays the log; every recording thread must have finished. */
    public static RelaxationReport replay(OperationLog log) {
        long[][] rd = rankAndDelay(log);
        return RelaxationReport.of(rd[0], rd[0].length, rd[1]);
    }

    /** The rank error of every deletion, in ticket order (for burn-in aware statistics). */
    public static long[] ranksInDeletionOrder(OperationLog log) {
        return rankAndDelay(log)[0];
    }

    /** Returns {ranks, delays}, one entry per deletion in ticket order. */
    private static long[][] rankAndDelay(OperationLog log) {
        List<OperationLog.Recorder> recorders = log.recorders();
        long total = 0;
        for (OperationLog.Recorder r : recorders) {
            total += r.size;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("log too large to replay: " + total + " operations");
        }
        int m = (int) total;
        // Place every entry at its ticket; tickets are dense in [0, m).
        long[] prio = new long[m];
        boolean[] isDelete = new boolean[m];
        boolean[] seen = new boolean[m];
        for (OperationLog.Recorder r : recorders) {
            for (int i = 0; i < r.size; i++) {
                long w = r.tickets[i];
                boolean del = w < 0;
                long t = del ? ~w : w;
                if (t >= m || seen[(int) t]) {
                    throw new IllegalStateException("operation log is incomplete: ticket " + t
                            + " outside the " + m + " recorded operations (was a thread still recording?)");
                }
                seen[(int) t] = true;
                prio[(int) t] = r.priorities[i];
                isDelete[(int) t] = del;
            }
        }
        // Compress priorities to ranks 0..k-1.
        long[] distinct = prio.clone();
        Arrays.sort(distinct);
        int k = 0;
        for (int i = 0; i < m; i++) {
            if (i == 0 || distinct[i] != distinct[i - 1]) {
                distinct[k++] = distinct[i];
            }
        }
        int deletes = 0;
        for (int i = 0; i < m; i++) {
            if (isDelete[i]) {
                deletes++;
            }
        }
        Fenwick present = new Fenwick(k);
        Fenwick deletedAt = new Fenwick(k);
        // FIFO of insertion snapshots per priority, as linked lists in primitive arrays.
        int[] head = new int[k];
        int[] tail = new int[k];
        Arrays.fill(head, -1);
        int[] next = new int[m - deletes];
        long[] snapshot = new long[m - deletes];
        int nodes = 0;

        long[] ranks = new long[deletes];
        long[] delays = new long[deletes];
        int d = 0;
        for (int t = 0; t < m; t++) {
            int idx = Arrays.binarySearch(distinct, 0, k, prio[t]);
            long largerDeleted = d - deletedAt.prefix(idx + 1);
            if (!isDelete[t]) {
                present.add(idx, 1);
                int node = nodes++;
                snapshot[node] = largerDeleted;
                next[node] = -1;
                if (head[idx] < 0) {
                    head[idx] = node;
                } else {
                    next[tail[idx]] = node;
                }
                tail[idx] = node;
            } else {
                int node = head[idx];
                if (node < 0) {
                    throw new IllegalStateException("operation log is inconsistent: ticket " + t
                            + " deleted priority " + prio[t] + " which was not present (returned twice or never inserted)");
                }
                head[idx] = next[node];
                ranks[d] = present.prefix(idx);
                delays[d] = largerDeleted - snapshot[node];
                present.add(idx, -1);
                deletedAt.add(idx, 1);
                d++;
            }
        }
        return new long[][] {ranks, delays};
    }

    /** A Fenwick (binary indexed) tree of long counts over indices 0..n-1. */
    static final class Fenwick {
        private final long[] tree;

        Fenwick(int n) {
            tree = new long[n + 1];
        }

        void add(int index, long delta) {
            for (int i = index + 1; i < tree.length; i += i & -i) {
                tree[i] += delta;
            }
        }

        /** Sum of counts at indices {@code < end}. */
        long prefix(int end) {
            long s = 0;
            for (int i = end; i > 0; i -= i & -i) {
                s += tree[i];
            }
            return s;
        }
    }
}
