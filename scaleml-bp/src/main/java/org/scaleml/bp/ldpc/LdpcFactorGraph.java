package org.scaleml.bp.ldpc;

import org.scaleml.bp.FactorGraph;

/**
 * Turns an LDPC code and channel observations into a generic {@link FactorGraph}, so any BP engine can decode.
 *
 * <h2>Layout</h2>
 * Variable {@code v} (cardinality 2) is bit {@code v}. Factors {@code 0 .. N-1} are the unary channel factors:
 * factor {@code v} has scope {@code (v)} and table {@code (P(0), P(1))} with {@code P(0) = 1 / (1 + e^{-L_v})}
 * (the channel posterior under a uniform prior; the LLR convention of {@link AwgnChannel}). Factors
 * {@code N .. N+M-1} are the parity checks: factor {@code N + m} has scope {@link ParityCheckCode#checkVariables(int)
 * checkVariables(m)} and a table of {@code 2^k} entries, 1 where the assignment has even parity and 0 elsewhere.
 *
 * <p><b>Size warning:</b> a check of row weight {@code k} becomes a dense table of {@code 2^k} entries. The MacKay
 * (3,6) code has {@code k = 6} (64 entries, fine) and CCSDS (128,64) has {@code k = 8}; the 802.11n rate-5/6 code has
 * {@code k = 22} (4M entries per check, 108 checks), which {@link #build} refuses under the default limit
 * {@value #DEFAULT_MAX_ROW_WEIGHT}. Use {@link LdpcDecoder}, whose cost is linear in {@code k}, for such codes.
 *
 * <p>Stateless and thread-safe (static).
 */
public final class LdpcFactorGraph {
    /** Largest row weight {@link #build(ParityCheckCode, double[])} accepts (2^16 entries per check). */
    public static final int DEFAULT_MAX_ROW_WEIGHT = 16;

    private LdpcFactorGraph() {
    }

    /** Builds the graph with row weights up to {@value #DEFAULT_MAX_ROW_WEIGHT}. */
    public static FactorGraph build(ParityCheckCode code, double[] channelLlr) {
        return build(code, channelLlr, DEFAULT_MAX_ROW_WEIGHT);
    }

    /**
     * Builds the graph.
     *
     * @throws IllegalArgumentException if the LLR count differs from N, an LLR is NaN, or a row is heavier than
     *                                  {@code maxRowWeight} (at most 26)
     */
    public static FactorGraph build(ParityCheckCode code, double[] channelLlr, int maxRowWeight) {
        if (maxRowWeight < 1 || maxRowWeight > 26) {
            throw new IllegalArgumentException("maxRowWeight must be in [1, 26], got " + maxRowWeight);
        }
        if (channelLlr.length != code.n()) {
            throw new IllegalArgumentException(channelLlr.length + " LLRs, the code has length " + code.n());
        }
        for (int m = 0; m < code.m(); m++) {
            if (code.checkVariables(m).length > maxRowWeight) {
                throw new IllegalArgumentException("check " + m + " has weight " + code.checkVariables(m).length
                        + ": its parity table would have 2^" + code.checkVariables(m).length + " entries (limit 2^"
                        + maxRowWeight + "); decode this code with LdpcDecoder");
            }
        }
        FactorGraph.Builder b = FactorGraph.builder();
        for (int v = 0; v < code.n(); v++) {
            b.addVariable(2);
        }
        for (int v = 0; v < code.n(); v++) {
            double l = channelLlr[v];
            if (Double.isNaN(l)) {
                throw new IllegalArgumentException("LLR of bit " + v + " is NaN");
            }
            double p0 = l >= 0 ? 1 / (1 + Math.exp(-l)) : Math.exp(l) / (1 + Math.exp(l));
            double p1 = l >= 0 ? Math.exp(-l) / (1 + Math.exp(-l)) : 1 / (1 + Math.exp(l));
            b.addFactor(new int[] {v}, new double[] {p0, p1});
        }
        for (int m = 0; m < code.m(); m++) {
            int[] scope = code.checkVariables(m);
            double[] t = new double[1 << scope.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = (Integer.bitCount(i) & 1) == 0 ? 1 : 0;
            }
            b.addFactor(scope, t);
        }
        return b.build();
    }
}
