package org.scaleml.graph;

import java.io.IOException;
import java.util.Arrays;
import org.scaleml.common.io.TextScanner;

/**
 * SNAP edge lists: {@code #} comments, then {@code from to} per line separated by tabs or spaces; further
 * columns (some SNAP sets carry timestamps or signs) are ignored. Ids are non-negative {@code long}s in any
 * numbering; the nodes are the ids that occur, remapped to {@code 0..n-1} in increasing id order (so the
 * file ids are a sorted array and {@link CsrGraph#nodeOf(long)} is a binary search).
 *
 * <p>Remapping: a hash map assigns provisional ids in first-seen order while reading (O(1) per endpoint);
 * afterwards the distinct ids are sorted (O(n log n)) and the edge arrays relabelled in place (O(m)).
 */
final class SnapReader {
    private SnapReader() {
    }

    static CsrGraph read(TextScanner<IOException> sc, ReadOptions o) throws IOException {
        IntArray src = new IntArray(1 << 16);
        IntArray dst = new IntArray(1 << 16);
        LongIntHashMap ids = new LongIntHashMap(1 << 12);
        while (sc.nextLine()) {
            int c = sc.peek();
            if (c == '#' || c == '%') {
                sc.skipLine();
                continue;
            }
            long from = sc.nextLong("source node id");
            long to = sc.nextLong("target node id");
            if (from < 0 || to < 0) {
                throw sc.error("negative node id " + Math.min(from, to));
            }
            sc.skipLine();
            src.add(ids.getOrAssign(from));
            dst.add(ids.getOrAssign(to));
        }
        int n = ids.size();
        long[] firstSeen = ids.keysByValue();
        long[] sorted = firstSeen.clone();
        Arrays.sort(sorted);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = Arrays.binarySearch(sorted, firstSeen[i]);
        }
        firstSeen = null;
        int[] s = src.a;
        int[] d = dst.a;
        int count = src.size;
        for (int i = 0; i < count; i++) {
            s[i] = perm[s[i]];
            d[i] = perm[d[i]];
        }
        return GraphBuilder.assemble(n, !o.symmetrize(), s, d, null, count, o.dropSelfLoops(), o.mergeParallel(),
                0, sorted, null, null);
    }
}
