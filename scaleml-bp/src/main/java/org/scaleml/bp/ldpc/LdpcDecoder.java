package org.scaleml.bp.ldpc;

/**
 * Sum-product (belief-propagation) decoding of a binary LDPC code in the log-likelihood-ratio domain, with a flooding
 * schedule and an early stop when the hard decision satisfies every parity check.
 *
 * <h2>Contract</h2>
 * {@link #decode(double[])} takes channel LLRs {@code L_v = log P(y_v | 0) / P(y_v | 1)} and returns the hard decision,
 * the a-posteriori LLRs, the number of iterations and whether the syndrome is zero. A result with
 * {@code syndromeOk == false} is a <em>detected</em> failure (the decoder reports it); a valid codeword that differs
 * from the one sent is an undetected error the decoder cannot see. Not thread-safe: an instance owns its message
 * buffers (O(edges) doubles), so use one per thread. Each iteration costs O(edges).
 *
 * <h2>Algorithm</h2>
 * Messages live on the ones of H, stored row by row. Iteration (flooding [1, 2]):
 * <pre>
 * check to bit:  r_{m->v} = 2 atanh( prod_{v' in N(m) \ v} tanh(q_{v'->m} / 2) )
 * bit to check:  q_{v->m} = L_v + sum_{m' in M(v) \ m} r_{m'->v}
 * posterior:     Q_v = L_v + sum_{m in M(v)} r_{m->v};   bit = Q_v &lt; 0 ? 1 : 0
 * </pre>
 * The exclusive products are formed with prefix and suffix products (no division, so a zero message is harmless),
 * and the tanh product is clamped to {@code |p| <= 1 - 1e-15} so messages stay finite (|r| at most about 35). Before the
 * first iteration the hard decision of the channel LLRs is checked, so a clean frame costs zero iterations.
 * The same schedule as the generic flooding BP on {@link LdpcFactorGraph}, specialised to parity factors.
 *
 * <p>[1] R. G. Gallager, Low-Density Parity-Check Codes, MIT Press, 1963. [2] D. J. C. MacKay, "Good error-correcting
 * codes based on very sparse matrices", IEEE Trans. Inf. Theory 45(2), 1999.
 */
public final class LdpcDecoder {
    /**
     * A decoding outcome.
     *
     * @param bits       hard decision per bit (0/1)
     * @param posterior  a-posteriori LLR per bit (positive favours 0)
     * @param iterations iterations run (0 if the channel decision was already a codeword)
     * @param syndromeOk true iff {@code bits} satisfies every check (decoding succeeded as far as the decoder can tell)
     */
    public record Result(int[] bits, double[] posterior, int iterations, boolean syndromeOk) {
    }

    private static final double CLAMP = 1 - 1e-15;

    private final ParityCheckCode code;
    private final int maxIterations;
    private final boolean earlyStop;
    private final int[] rowStart;
    private final int[] edgeVar;
    private final int[][] varEdges;
    private final double[] q;
    private final double[] r;
    private final double[] prefix;

    /** A decoder stopping at {@code maxIterations} or as soon as the syndrome is zero. */
    public LdpcDecoder(ParityCheckCode code, int maxIterations) {
        this(code, maxIterations, true);
    }

    /**
     * @param earlyStop if false, always runs {@code maxIterations} (for comparisons with generic BP)
     */
    public LdpcDecoder(ParityCheckCode code, int maxIterations, boolean earlyStop) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
        }
        this.code = code;
        this.maxIterations = maxIterations;
        this.earlyStop = earlyStop;
        int m = code.m();
        rowStart = new int[m + 1];
        for (int c = 0; c < m; c++) {
            rowStart[c + 1] = rowStart[c] + code.checkVariables(c).length;
        }
        int e = rowStart[m];
        edgeVar = new int[e];
        int[] deg = new int[code.n()];
        for (int c = 0; c < m; c++) {
            int[] vs = code.checkVariables(c);
            for (int j = 0; j < vs.length; j++) {
                edgeVar[rowStart[c] + j] = vs[j];
                deg[vs[j]]++;
            }
        }
        varEdges = new int[code.n()][];
        for (int v = 0; v < code.n(); v++) {
            varEdges[v] = new int[deg[v]];
        }
        int[] fill = new int[code.n()];
        for (int k = 0; k < e; k++) {
            int v = edgeVar[k];
            varEdges[v][fill[v]++] = k;
        }
        q = new double[e];
        r = new double[e];
        prefix = new double[code.maxRowWeight() + 1];
    }

    /** The code decoded. */
    public ParityCheckCode code() {
        return code;
    }

    /** Decodes one frame of channel LLRs (length N). */
    public Result decode(double[] channelLlr) {
        int n = code.n();
        if (channelLlr.length != n) {
            throw new IllegalArgumentException(channelLlr.length + " LLRs, the code has length " + n);
        }
        int[] bits = new int[n];
        double[] post = channelLlr.clone();
        for (int v = 0; v < n; v++) {
            bits[v] = post[v] < 0 ? 1 : 0;
        }
        boolean ok = code.isCodeword(bits);
        if (ok && earlyStop) {
            return new Result(bits, post, 0, true);
        }
        for (int v = 0; v < n; v++) {
            for (int k : varEdges[v]) {
                q[k] = channelLlr[v];
            }
        }
        int it = 0;
        while (it < maxIterations) {
            it++;
            checkUpdate();
            for (int v = 0; v < n; v++) {
                int[] ks = varEdges[v];
                double total = channelLlr[v];
                for (int k : ks) {
                    total += r[k];
                }
                for (int k : ks) {
                    q[k] = total - r[k];
                }
                post[v] = total;
                bits[v] = total < 0 ? 1 : 0;
            }
            ok = code.isCodeword(bits);
            if (ok && earlyStop) {
                break;
            }
        }
        return new Result(bits, post, it, ok);
    }

    private void checkUpdate() {
        int m = code.m();
        double[] pre = prefix;
        for (int c = 0; c < m; c++) {
            int s = rowStart[c];
            int d = rowStart[c + 1] - s;
            pre[0] = 1;
            for (int j = 0; j < d; j++) {
                pre[j + 1] = pre[j] * Math.tanh(0.5 * q[s + j]);
            }
            double suffix = 1;
            for (int j = d - 1; j >= 0; j--) {
                double p = pre[j] * suffix;
                if (p > CLAMP) {
                    p = CLAMP;
                } else if (p < -CLAMP) {
                    p = -CLAMP;
                }
                r[s + j] = Math.log((1 + p) / (1 - p)); // 2 atanh(p)
                suffix *= Math.tanh(0.5 * q[s + j]);
            }
        }
    }
}
