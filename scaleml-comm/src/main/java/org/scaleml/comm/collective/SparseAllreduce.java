package org.scaleml.comm.collective;

import java.util.Objects;

import org.scaleml.comm.transport.Communicator;

/**
 * Sum-allreduce of sparse vectors, as in SparCML [1]: every rank passes a {@link SparseVector} of the same
 * dimension {@code n}; the ranks exchange sparse (index, value) streams, merging them and summing equal indices,
 * and switch to a dense representation once a stream is dense enough that sparse stops paying.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Result.</b> Every rank gets a {@link Result} holding the element-wise sum of all inputs, either dense
 *       ({@code float[n]}) or sparse (the union of the inputs' index sets, each with its sum; entries whose values
 *       cancel stay stored with value 0). The representation and the values are identical, bit for bit, on every
 *       rank. Values are float sums in an algorithm-dependent order (exact for values whose sums are exact in
 *       float, e.g. small integers); the two algorithms agree to float rounding.</li>
 *   <li><b>The switch.</b> A stream of {@code k} entries travels sparse as {@code 5 + 8k} bytes (a 4-byte index
 *       and a 4-byte value per entry) and dense as {@code 1 + 4n} bytes; sparse stops paying at density
 *       {@code k / n = 4 / (4 + 4) = 1/2}. That is the default {@link #DEFAULT_DENSE_THRESHOLD threshold}
 *       {@code delta}: a stream (or, in the split algorithm, a range) whose number of entries reaches
 *       {@code delta} times its length is converted to dense and stays dense. Merging two random supports of
 *       density d gives about 2d - d^2, so once a stream passes 1/2 it would never again be shorter sparse.
 *       {@code delta} is configurable: 0 makes everything dense, above 1 keeps everything sparse.</li>
 *   <li><b>Calls and failures.</b> As for {@link Collectives}: same calls in the same order on every rank (the
 *       same algorithm and dimension), one tag block per call; failures abort the transport and propagate naming
 *       the collective; a malformed stream (indices out of order or range, wrong length) is a protocol violation.
 *       Not thread-safe.</li>
 * </ul>
 *
 * <h2>Costs</h2>
 * {@code P} ranks, {@code P'} the largest power of two {@code <= P}, {@code k_j} the size of the union of the
 * index sets merged after step {@code j}:
 * <ul>
 *   <li>{@link Algorithm#RECURSIVE_DOUBLING}: {@code log2 P'} steps (plus 2 when {@code P} is not a power of two);
 *       bytes sent per rank {@code sum_j min(5 + 8 k_j, 1 + 4n)}, i.e. about {@code 8 k (P - 1)} for disjoint
 *       supports of {@code k} entries while the union stays sparse. Merge time linear in the two streams.
 *       Latency-optimal: the choice while the result stays sparse.</li>
 *   <li>{@link Algorithm#SPLIT_ALLGATHER}: the index space is split into {@code P} ranges ({@link Chunks});
 *       each rank sends each other rank its entries in that rank's range (one step), each rank sums its range
 *       (in a dense accumulator of {@code n / P} floats) and the reduced ranges, each sparse or dense, are ring
 *       allgathered ({@code P - 1} steps). Bytes per rank: about {@code 8 k (P - 1) / P} plus
 *       {@code (P - 1)} reduced ranges of at most {@code min(8 u, 4 n / P)} each: when the result is dense, about
 *       {@code 4n (P - 1) / P} instead of recursive doubling's {@code 4n log2 P}. Bandwidth-optimal for large,
 *       dense-ending reductions.</li>
 * </ul>
 */
public final class SparseAllreduce {
    /*
     * Recursive doubling [1, Alg. SSAR_Recursive_double]: the schedule of Allreduce.recursiveDoubling (fold of
     * the ranks beyond P', log2 P' pairwise exchanges, unfold), where each message is a stream
     *     sparse: byte 0, int32 k, k int32 indices (strictly increasing), k float32 values
     *     dense:  byte 1, n float32 values
     * and the exchange merges the received stream into the held one: two sparse streams by a linear merge of
     * their sorted indices (summing equal indices), a sparse into a dense one by scattered adds, two dense ones
     * element-wise. A merged sparse stream reaching delta * n entries becomes dense. Invariant: the two partners
     * of a step hold the same stream (representation and bits), because both merge the same two streams and
     * every sum a + b is computed with the same operands (IEEE addition commutes; a sparse stream meeting a dense
     * one gives dense[i] + sparse[i] on both sides). So every rank ends with the same stream.
     *
     * Split allgather [1, Alg. SSAR_Split_allgather]: rank r owns index range r; it receives the other ranks'
     * entries in that range (sparse, or dense if they reach delta of the range), sums them with its own in a
     * dense accumulator in the fixed order own, r-1, r-2, ..., marking the touched indices, and encodes the
     * result as a sparse (touched indices) or dense range; the ring allgather gives every rank every range's
     * bytes, and every rank assembles the same result from them: dense if the total of stored entries (a dense
     * range counting its full length) reaches delta * n, else sparse.
     *
     * [1] C. Renggli, S. Ashkboos, M. Aghagholzadeh, D. Alistarh, T. Hoefler, "SparCML: High-Performance Sparse
     *     Communication for Machine Learning", SC 2019 (arXiv 1802.08021).
     *
     * Size. This class stays one file above 500 lines on purpose: about a fifth is the contract and this
     * comment, and the two algorithms share what makes up the rest, the stream wire format (sparse or dense,
     * written by send, checked entry by entry when read, merged by merge and addSparse) and the density rule that
     * turns a stream dense. Each algorithm apart would need that format exported to both, and the invariant that
     * every rank ends with the same stream, bit for bit, is easier to check with the writer, the reader and the
     * merge side by side.
     */

    /** The default density at which a stream turns dense: 1/2, where 8 bytes per entry cost 4 per element. */
    public static final double DEFAULT_DENSE_THRESHOLD = 0.5;

    private static final byte SPARSE = 0;
    private static final byte DENSE = 1;

    /** How to run a sparse allreduce. */
    public enum Algorithm {
        /** Pairwise merging in {@code log2 P} steps; best while the result stays sparse. */
        RECURSIVE_DOUBLING,
        /** Reduce each index range at its owner, then allgather the ranges; best when the result is dense. */
        SPLIT_ALLGATHER
    }

    /** The result of a sparse allreduce on one rank: dense or sparse, the same on every rank. */
    public static final class Result {
        private final int dimension;
        private final float[] dense;
        private final SparseVector sparse;

        Result(int dimension, float[] dense, SparseVector sparse) {
            this.dimension = dimension;
            this.dense = dense;
            this.sparse = sparse;
        }

        /** The dimension {@code n}. */
        public int dimension() {
            return dimension;
        }

        /** True if the sum is held dense. */
        public boolean isDense() {
            return dense != null;
        }

        /** The dense sum (the caller's array).
         *  @throws IllegalStateException if the result is sparse */
        public float[] dense() {
            if (dense == null) {
                throw new IllegalStateException("the result is sparse");
            }
            return dense;
        }

        /** The sparse sum.
         *  @throws IllegalStateException if the result is dense */
        public SparseVector sparse() {
            if (sparse == null) {
                throw new IllegalStateException("the result is dense");
            }
            return sparse;
        }

        /** The number of stored entries: {@code n} if dense. */
        public int storedEntries() {
            return dense != null ? dimension : sparse.nnz();
        }

        /** The sum as a new dense array. */
        public float[] toDense() {
            return dense != null ? dense.clone() : sparse.toDense();
        }

        @Override
        public String toString() {
            return dense != null ? "dense sum of dimension " + dimension : "sparse sum " + sparse;
        }
    }

    private final Communicator comm;
    private final Link link;
    private final double threshold;

    /** A sparse allreduce with the {@link #DEFAULT_DENSE_THRESHOLD default} switch to dense. */
    public SparseAllreduce(Communicator comm) {
        this(comm, DEFAULT_DENSE_THRESHOLD);
    }

    /**
     * @param denseThreshold the density at which a stream turns dense, at least 0 (0: always dense; above 1:
     *                       never); all ranks must use the same
     */
    public SparseAllreduce(Communicator comm, double denseThreshold) {
        if (!(denseThreshold >= 0)) {
            throw new IllegalArgumentException("dense threshold must be >= 0, got " + denseThreshold);
        }
        this.comm = Objects.requireNonNull(comm, "comm");
        this.link = new Link(comm);
        this.threshold = denseThreshold;
    }

    /**
     * The algorithm to use for dimension {@code n} on {@code size} ranks when the inputs hold about
     * {@code expectedTotalEntries} entries together (e.g. {@code P k} for top-k selections; every rank must pass
     * the same numbers): split allgather if more than two ranks, a dense size above
     * {@link Allreduce#AUTO_THRESHOLD_BYTES}, and a result expected to end dense
     * ({@code min(n, expectedTotalEntries) >= delta n}); recursive doubling otherwise.
     */
    public static Algorithm choose(int n, int size, long expectedTotalEntries, double denseThreshold) {
        boolean denseEnd = n > 0 && Math.min(n, expectedTotalEntries) >= denseThreshold * n;
        return size > 2 && 4L * n > Allreduce.AUTO_THRESHOLD_BYTES && denseEnd ? Algorithm.SPLIT_ALLGATHER
                : Algorithm.RECURSIVE_DOUBLING;
    }

    /** The density threshold. */
    public double denseThreshold() {
        return threshold;
    }

    /** {@link Algorithm#RECURSIVE_DOUBLING Recursive-doubling} sparse allreduce. */
    public Result allreduce(SparseVector v) {
        return allreduce(v, Algorithm.RECURSIVE_DOUBLING);
    }

    /** Sparse sum-allreduce of {@code v} with the given algorithm; see the class contract. */
    public Result allreduce(SparseVector v, Algorithm algorithm) {
        Objects.requireNonNull(v, "v");
        Objects.requireNonNull(algorithm, "algorithm");
        int tag = comm.newTagBlock();
        try {
            return algorithm == Algorithm.RECURSIVE_DOUBLING ? recursiveDoubling(tag, v) : splitAllgather(tag, v);
        } catch (RuntimeException e) {
            throw Failures.fail(comm, "sparse allreduce (" + algorithm.name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ') + ", n = " + v.dimension() + ")", e);
        }
    }

    private boolean denseAt(long entries, int length) {
        return length > 0 && entries >= threshold * length;
    }

    // ---------------------------------------------------------------------------------- recursive doubling

    /** The stream a rank holds: sparse (idx, val, nnz) or dense (d). */
    private static final class Stream {
        final int n;
        float[] d;
        int[] idx;
        float[] val;
        int nnz;

        Stream(int n) {
            this.n = n;
        }

        Result toResult() {
            return d != null ? new Result(n, d, null) : new Result(n, null, new SparseVector(n, idx, val, nnz));
        }
    }

    private Result recursiveDoubling(int tag, SparseVector v) {
        final int p = link.size;
        final int r = link.rank;
        final int n = v.dimension();
        Stream s = new Stream(n);
        if (denseAt(v.nnz(), n)) {
            s.d = v.toDense();
        } else {
            s.idx = v.rawIndices();
            s.val = v.rawValues();
            s.nnz = v.nnz();
        }
        if (p == 1) {
            return s.toResult();
        }
        final int pp = Integer.highestOneBit(p);
        final int extra = p - pp;
        int vr;
        if (r < 2 * extra) {
            if ((r & 1) == 0) {
                send(r + 1, tag, s);
                Stream out = new Stream(n);
                byte[] msg = link.receiveBlock(r + 1, tag + 2);
                merge(out, msg, r + 1, true);
                return out.toResult();
            }
            merge(s, link.receiveBlock(r - 1, tag), r - 1, false);
            vr = r >> 1;
        } else {
            vr = r - extra;
        }
        for (int mask = 1; mask < pp; mask <<= 1) {
            int pv = vr ^ mask;
            int partner = pv < extra ? 2 * pv + 1 : pv + extra;
            send(partner, tag + 1, s);
            merge(s, link.receiveBlock(partner, tag + 1), partner, false);
        }
        if (r < 2 * extra) {
            send(r - 1, tag + 2, s);
        }
        return s.toResult();
    }

    private void send(int to, int tag, Stream s) {
        int len;
        byte[] b;
        if (s.d != null) {
            len = streamBytes(1 + 4L * s.n);
            b = link.buffer(len);
            b[0] = DENSE;
            FloatBytes.put(s.d, 0, s.n, b, 1);
        } else {
            len = streamBytes(5 + 8L * s.nnz);
            b = link.buffer(len);
            b[0] = SPARSE;
            FloatBytes.putInt(b, 1, s.nnz);
            int vals = 5 + 4 * s.nnz;
            for (int k = 0; k < s.nnz; k++) {
                FloatBytes.putInt(b, 5 + 4 * k, s.idx[k]);
                FloatBytes.putFloat(b, vals + 4 * k, s.val[k]);
            }
        }
        link.sendBlock(to, tag, b, 0, len);
    }

    /**
     * Checks the stream {@code msg} from {@code from} and returns its entry count (n for dense): the first byte is
     * its kind; a sparse stream's indices are checked while they are read.
     */
    private static int entries(byte[] msg, int n, int from) {
        if (msg.length < 1) {
            throw Failures.protocol(from, "empty sparse-allreduce stream");
        }
        if (msg[0] == DENSE) {
            if (msg.length != 1 + 4L * n) {
                throw Failures.protocol(from, "dense stream of " + msg.length + " bytes for dimension " + n);
            }
            return n;
        }
        if (msg[0] != SPARSE || msg.length < 5) {
            throw Failures.protocol(from, "stream of kind " + msg[0] + " and " + msg.length + " bytes");
        }
        int k = FloatBytes.getInt(msg, 1);
        if (k < 0 || k > n || msg.length != 5 + 8L * k) {
            throw Failures.protocol(from, "sparse stream of " + k + " entries in " + msg.length
                    + " bytes for dimension " + n);
        }
        return k;
    }

    private static int checkedIndex(byte[] msg, int k, int prev, int lo, int hi, int from) {
        int i = FloatBytes.getInt(msg, 5 + 4 * k);
        if (i <= prev || i < lo || i >= hi) {
            throw Failures.protocol(from, "index " + i + " at entry " + k + " is not increasing within [" + lo
                    + ", " + hi + ")");
        }
        return i;
    }

    /** Merges (sums) the stream {@code msg} into {@code s}; with {@code replace}, s is empty and takes msg. */
    private void merge(Stream s, byte[] msg, int from, boolean replace) {
        final int n = s.n;
        final int m = entries(msg, n, from);
        final boolean msgDense = msg[0] == DENSE;
        if (replace) {
            if (msgDense) {
                s.d = new float[n];
                FloatBytes.get(msg, 1, s.d, 0, n);
            } else {
                s.idx = new int[m];
                s.val = new float[m];
                int vals = 5 + 4 * m;
                for (int k = 0, prev = -1; k < m; k++) {
                    prev = s.idx[k] = checkedIndex(msg, k, prev, 0, n, from);
                    s.val[k] = FloatBytes.getFloat(msg, vals + 4 * k);
                }
                s.nnz = m;
            }
            return;
        }
        if (s.d != null) {
            if (msgDense) {
                FloatBytes.add(msg, 1, s.d, 0, n);
            } else {
                addSparse(msg, m, s.d, 0, 0, n, from);
            }
            return;
        }
        if (msgDense) { // held sparse, incoming dense: dense[i] + sparse[i]
            float[] d = new float[n];
            FloatBytes.get(msg, 1, d, 0, n);
            for (int k = 0; k < s.nnz; k++) {
                d[s.idx[k]] += s.val[k];
            }
            s.d = d;
            s.idx = null;
            s.val = null;
            return;
        }
        // two sparse streams: linear merge of sorted indices
        final int[] ai = s.idx;
        final float[] av = s.val;
        final int an = s.nnz;
        final int cap = (int) Math.min(n, (long) an + m);
        int[] oi = new int[cap];
        float[] ov = new float[cap];
        final int vals = 5 + 4 * m;
        int a = 0;
        int b = 0;
        int o = 0;
        int prev = -1;
        int bi = m > 0 ? checkedIndex(msg, 0, prev, 0, n, from) : Integer.MAX_VALUE;
        while (a < an || b < m) {
            int ia = a < an ? ai[a] : Integer.MAX_VALUE;
            if (ia < bi) {
                oi[o] = ia;
                ov[o++] = av[a++];
            } else {
                float bv = FloatBytes.getFloat(msg, vals + 4 * b);
                oi[o] = bi;
                ov[o++] = ia == bi ? av[a++] + bv : bv;
                prev = bi;
                b++;
                bi = b < m ? checkedIndex(msg, b, prev, 0, n, from) : Integer.MAX_VALUE;
            }
        }
        if (denseAt(o, n)) {
            float[] d = new float[n];
            for (int k = 0; k < o; k++) {
                d[oi[k]] = ov[k];
            }
            s.d = d;
            s.idx = null;
            s.val = null;
        } else {
            s.idx = oi;
            s.val = ov;
            s.nnz = o;
        }
    }

    /** Adds the sparse stream {@code msg} of {@code m} entries, indices in [lo, hi), to {@code d[i - base]}. */
    private static void addSparse(byte[] msg, int m, float[] d, int base, int lo, int hi, int from) {
        int vals = 5 + 4 * m;
        for (int k = 0, prev = -1; k < m; k++) {
            prev = checkedIndex(msg, k, prev, lo, hi, from);
            d[prev - base] += FloatBytes.getFloat(msg, vals + 4 * k);
        }
    }

    // --------------------------------------------------------------------------------------- split allgather

    private Result splitAllgather(int tag, SparseVector v) {
        final int p = link.size;
        final int r = link.rank;
        final int n = v.dimension();
        final int[] idx = v.rawIndices();
        final float[] val = v.rawValues();
        final int nnz = v.nnz();
        // phase 1: each other rank gets this rank's entries in its range
        for (int s = 1; s < p; s++) {
            int c = (r + s) % p;
            int lo = Chunks.start(n, p, c);
            int len = Chunks.length(n, p, c);
            int k0 = lowerBound(idx, nnz, lo);
            int k1 = lowerBound(idx, nnz, lo + len);
            sendRange(c, tag, idx, val, k0, k1, lo, len, null);
        }
        final int lo = Chunks.start(n, p, r);
        final int len = Chunks.length(n, p, r);
        float[] acc = new float[len];
        boolean[] touched = new boolean[len];
        for (int k = lowerBound(idx, nnz, lo), end = lowerBound(idx, nnz, lo + len); k < end; k++) {
            acc[idx[k] - lo] += val[k];
            touched[idx[k] - lo] = true;
        }
        for (int s = 1; s < p; s++) {
            int from = (r - s + p) % p;
            byte[] msg = link.receiveBlock(from, tag);
            int m = entries(msg, len, from);
            if (msg[0] == DENSE) {
                FloatBytes.add(msg, 1, acc, 0, len);
                java.util.Arrays.fill(touched, true);
            } else {
                int vals = 5 + 4 * m;
                for (int k = 0, prev = -1; k < m; k++) {
                    prev = checkedIndex(msg, k, prev, lo, lo + len, from);
                    acc[prev - lo] += FloatBytes.getFloat(msg, vals + 4 * k);
                    touched[prev - lo] = true;
                }
            }
        }
        // phase 2: encode the reduced range, allgather, assemble the same result everywhere
        int myLen = sendRange(-1, 0, null, acc, 0, 0, lo, len, touched);
        byte[][] blocks = Ring.allgatherBlocks(link, tag + 1, link.buffer(myLen), myLen);
        long total = 0;
        int[] counts = new int[p];
        for (int c = 0; c < p; c++) {
            counts[c] = entries(blocks[c], Chunks.length(n, p, c), c);
            total += counts[c];
        }
        if (denseAt(total, n)) {
            float[] d = new float[n];
            for (int c = 0; c < p; c++) {
                int clo = Chunks.start(n, p, c);
                int clen = Chunks.length(n, p, c);
                if (blocks[c][0] == DENSE) {
                    FloatBytes.get(blocks[c], 1, d, clo, clen);
                } else {
                    addSparse(blocks[c], counts[c], d, 0, clo, clo + clen, c);
                }
            }
            return new Result(n, d, null);
        }
        int[] oi = new int[(int) total];
        float[] ov = new float[(int) total];
        int o = 0;
        for (int c = 0; c < p; c++) {
            byte[] b = blocks[c];
            int clo = Chunks.start(n, p, c);
            int clen = Chunks.length(n, p, c);
            if (b[0] == DENSE) {
                for (int i = 0; i < clen; i++, o++) {
                    oi[o] = clo + i;
                    ov[o] = FloatBytes.getFloat(b, 1 + 4 * i);
                }
            } else {
                int m = counts[c];
                int vals = 5 + 4 * m;
                for (int k = 0, prev = -1; k < m; k++, o++) {
                    prev = oi[o] = checkedIndex(b, k, prev, clo, clo + clen, c);
                    ov[o] = FloatBytes.getFloat(b, vals + 4 * k);
                }
            }
        }
        return new Result(n, null, new SparseVector(n, oi, ov, o));
    }

    /**
     * Encodes a range of length {@code len} starting at {@code lo} into the link's buffer, sparse or dense by the
     * threshold, and sends it to {@code to} (if {@code to >= 0}); returns its length in bytes. The entries are
     * either {@code idx[k0, k1)} with {@code val} (absolute indices), or, with {@code touched}, the touched
     * positions of the range accumulator {@code val}.
     */
    private int sendRange(int to, int tag, int[] idx, float[] val, int k0, int k1, int lo, int len,
                          boolean[] touched) {
        int count = 0;
        if (touched != null) {
            for (boolean t : touched) {
                count += t ? 1 : 0;
            }
        } else {
            count = k1 - k0;
        }
        int bytes;
        byte[] b;
        if (denseAt(count, len)) {
            bytes = streamBytes(1 + 4L * len);
            b = link.buffer(bytes);
            b[0] = DENSE;
            if (touched != null) {
                FloatBytes.put(val, 0, len, b, 1);
            } else {
                java.util.Arrays.fill(b, 1, bytes, (byte) 0); // +0.0f is all zero bits
                for (int k = k0; k < k1; k++) {
                    FloatBytes.putFloat(b, 1 + 4 * (idx[k] - lo), val[k]);
                }
            }
        } else {
            bytes = streamBytes(5 + 8L * count);
            b = link.buffer(bytes);
            b[0] = SPARSE;
            FloatBytes.putInt(b, 1, count);
            int vals = 5 + 4 * count;
            if (touched != null) {
                for (int i = 0, o = 0; i < len; i++) {
                    if (touched[i]) {
                        FloatBytes.putInt(b, 5 + 4 * o, lo + i);
                        FloatBytes.putFloat(b, vals + 4 * o++, val[i]);
                    }
                }
            } else {
                for (int k = k0, o = 0; k < k1; k++, o++) {
                    FloatBytes.putInt(b, 5 + 4 * o, idx[k]);
                    FloatBytes.putFloat(b, vals + 4 * o, val[k]);
                }
            }
        }
        if (to >= 0) {
            link.sendBlock(to, tag, b, 0, bytes);
        }
        return bytes;
    }

    private static int streamBytes(long bytes) {
        if (bytes > Link.MAX_BLOCK) {
            throw new IllegalArgumentException("a stream of " + bytes + " bytes exceeds the largest array");
        }
        return (int) bytes;
    }

    /** The first position in {@code a[0, len)} (sorted) whose value is {@code >= key}. */
    private static int lowerBound(int[] a, int len, int key) {
        int lo = 0;
        int hi = len;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
