package org.scaleml.concurrent.stm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a recorded STM history for serializability of the committed transactions and opacity of every attempt.
 *
 * <p>Input: every attempt of every thread in its thread's order, each with the reads it made (cell, value seen) and,
 * for committed ones, the final value and installed version of each cell it wrote. Written values must be unique in
 * the whole history (0 is the initial value of every cell), so a value identifies the attempt that wrote it.
 *
 * <p>Checks (Adya's direct serialization graph over committed transactions plus an initial transaction):
 * <ul>
 *   <li>every value read was written by a committed transaction (or is the initial 0): no dirty or aborted reads;</li>
 *   <li>within an attempt, a cell read twice gives the same value, and a read after the attempt's own write gives
 *       the last value it wrote;</li>
 *   <li>the versions installed on a cell are distinct, and the last one's value is the cell's final value;</li>
 *   <li>the graph of write-write (version order per cell), write-read (value read), read-write anti-dependency
 *       (the reader precedes the next writer of what it read) and per-thread program-order edges is acyclic:
 *       serializability respecting program order;</li>
 *   <li>opacity: every attempt, aborted or not, read a consistent state that follows its thread's previous
 *       committed transaction: no committed transaction that overwrote a value it read precedes (in the graph)
 *       a transaction whose value it read or its thread's previous commit.</li>
 * </ul>
 */
final class HistoryChecker {
    /** One attempt. */
    static final class Attempt {
        final int thread;
        boolean committed;
        /** In program order: {0 (read) or 1 (write), cell, value}. */
        final List<long[]> ops = new ArrayList<>();
        /** In order of first write: cell -> {value (last written), installed version (committed only)}. */
        final Map<Integer, long[]> writes = new LinkedHashMap<>();

        Attempt(int thread) {
            this.thread = thread;
        }

        Attempt read(int cell, long value) {
            ops.add(new long[]{0, cell, value});
            return this;
        }

        Attempt write(int cell, long value) {
            ops.add(new long[]{1, cell, value});
            writes.computeIfAbsent(cell, c -> new long[2])[0] = value;
            return this;
        }

        Attempt commit(int cell, long version) {
            writes.get(cell)[1] = version;
            committed = true;
            return this;
        }
    }

    private HistoryChecker() {
    }

    /** The violations found, at most a few of each kind; empty when the history is fine. */
    static List<String> violations(List<Attempt> attempts, long[] finalValues) {
        List<String> out = new ArrayList<>();
        // Node 0 is the initial transaction; committed attempts are 1..n.
        List<Attempt> nodes = new ArrayList<>();
        nodes.add(null);
        Map<Long, Integer> writerOf = new HashMap<>();
        Map<Integer, List<Integer>> writersOfCell = new HashMap<>();
        for (Attempt a : attempts) {
            if (!a.committed) {
                continue;
            }
            int id = nodes.size();
            nodes.add(a);
            for (Map.Entry<Integer, long[]> w : a.writes.entrySet()) {
                if (writerOf.put(w.getValue()[0], id) != null) {
                    out.add("value " + w.getValue()[0] + " written twice: values must be unique");
                }
                writersOfCell.computeIfAbsent(w.getKey(), c -> new ArrayList<>()).add(id);
            }
        }
        int n = nodes.size();
        // Version order per cell; next writer after each (writer, cell).
        Map<Long, Integer> nextWriter = new HashMap<>();
        for (Map.Entry<Integer, List<Integer>> e : writersOfCell.entrySet()) {
            int cell = e.getKey();
            List<Integer> ws = e.getValue();
            ws.sort(Comparator.comparingLong(id -> nodes.get(id).writes.get(cell)[1]));
            int prev = 0;
            long prevVersion = Long.MIN_VALUE;
            for (int id : ws) {
                long version = nodes.get(id).writes.get(cell)[1];
                if (version == prevVersion) {
                    out.add("cell " + cell + ": two committed writers installed version " + version);
                }
                nextWriter.put(key(prev, cell), id);
                prev = id;
                prevVersion = version;
            }
            long last = nodes.get(prev).writes.get(cell)[0];
            if (finalValues != null && finalValues[cell] != last) {
                out.add("cell " + cell + " ends at " + finalValues[cell] + ", but its last writer by version wrote "
                        + last);
            }
        }
        if (finalValues != null) {
            for (int cell = 0; cell < finalValues.length; cell++) {
                if (!writersOfCell.containsKey(cell) && finalValues[cell] != 0) {
                    out.add("cell " + cell + " was never written by a committed transaction but ends at "
                            + finalValues[cell]);
                }
            }
        }
        List<List<Integer>> succ = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            succ.add(new ArrayList<>());
        }
        for (Map.Entry<Long, Integer> e : nextWriter.entrySet()) {
            succ.get((int) (e.getKey() >>> 32)).add(e.getValue());
        }
        Map<Integer, Integer> lastCommitOfThread = new HashMap<>();
        int id = 0;
        for (Attempt a : attempts) {
            if (a.committed) {
                id++;
                Integer prev = lastCommitOfThread.put(a.thread, id);
                succ.get(prev == null ? 0 : prev).add(id);
            }
        }
        // Dependencies of every attempt: the writers it read from (source) and the next writers (overwriters).
        id = 0;
        lastCommitOfThread.clear();
        List<int[]> sourcesOf = new ArrayList<>();
        List<int[]> overwritersOf = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Attempt a : attempts) {
            int self = a.committed ? ++id : -1;
            Integer before = lastCommitOfThread.get(a.thread);
            List<Integer> sources = new ArrayList<>();
            List<Integer> overwriters = new ArrayList<>();
            sources.add(before == null ? 0 : before);
            Map<Integer, Long> seen = new HashMap<>();
            Map<Integer, Long> own = new HashMap<>();
            String name = (a.committed ? "committed " : "aborted ") + "attempt of thread " + a.thread
                    + " after its commit #" + (before == null ? 0 : before);
            for (long[] op : a.ops) {
                int cell = (int) op[1];
                long value = op[2];
                if (op[0] == 1) {
                    own.put(cell, value);
                    continue;
                }
                Long mine = own.get(cell);
                if (mine != null) {
                    if (mine != value) {
                        out.add(name + " read " + value + " from cell " + cell + " after writing " + mine + " to it");
                    }
                    continue;
                }
                Long earlier = seen.put(cell, value);
                if (earlier != null && earlier != value) {
                    out.add(name + " read cell " + cell + " twice: " + earlier + " then " + value);
                }
                Integer w = value == 0 ? Integer.valueOf(0) : writerOf.get(value);
                if (w == null) {
                    out.add(name + " read " + value + " from cell " + cell + ", which no committed transaction wrote");
                    continue;
                }
                if (w == self) {
                    out.add(name + " read its own value " + value + " of cell " + cell + " after overwriting it");
                    continue;
                }
                if (self > 0) {
                    succ.get(w).add(self);
                }
                sources.add(w);
                Integer next = nextWriter.get(key(w, cell));
                if (next != null && next != self) {
                    overwriters.add(next);
                    if (self > 0) {
                        succ.get(self).add(next);
                    }
                }
            }
            sourcesOf.add(sources.stream().mapToInt(Integer::intValue).toArray());
            overwritersOf.add(overwriters.stream().mapToInt(Integer::intValue).toArray());
            names.add(name);
            if (a.committed) {
                lastCommitOfThread.put(a.thread, id);
            }
        }
        // Serializability: the graph over committed transactions must be acyclic (Kahn's algorithm).
        int[] indegree = new int[n];
        for (List<Integer> s : succ) {
            for (int t : s) {
                indegree[t]++;
            }
        }
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        int[] topo = new int[n];
        int done = 0;
        while (!ready.isEmpty()) {
            int v = ready.poll();
            topo[done++] = v;
            for (int t : succ.get(v)) {
                if (--indegree[t] == 0) {
                    ready.add(t);
                }
            }
        }
        if (done < n) {
            out.add("not serializable: " + (n - done) + " committed transactions lie on dependency cycles");
            return out;
        }
        // Opacity: reachability in the (acyclic) graph, in reverse topological order.
        BitSet[] reach = new BitSet[n];
        for (int k = n - 1; k >= 0; k--) {
            int v = topo[k];
            BitSet r = new BitSet(n);
            for (int t : succ.get(v)) {
                r.set(t);
                r.or(reach[t]);
            }
            reach[v] = r;
        }
        int inconsistent = 0;
        for (int i = 0; i < names.size(); i++) {
            for (int over : overwritersOf.get(i)) {
                for (int src : sourcesOf.get(i)) {
                    if (over == src || reach[over].get(src)) {
                        if (inconsistent++ < 3) {
                            out.add(names.get(i) + " read an inconsistent state: it saw a value that transaction #"
                                    + over + " overwrote, and a value (or program order) that depends on #" + over);
                        }
                    }
                }
            }
        }
        if (inconsistent > 3) {
            out.add("... " + (inconsistent - 3) + " more inconsistent reads");
        }
        return out;
    }

    private static long key(int writer, int cell) {
        return ((long) writer << 32) | cell;
    }
}
