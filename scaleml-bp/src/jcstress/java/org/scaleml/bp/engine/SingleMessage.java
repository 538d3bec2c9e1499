package org.scaleml.bp.engine;

import java.util.Arrays;

import org.scaleml.bp.FactorGraph;

/**
 * A concurrent {@link MessageStore} over the smallest model with one message: one variable of cardinality
 * {@link #CARD} and one unary factor on it, for the seqlock jcstress tests. The message starts uniform.
 */
final class SingleMessage {

    static final int CARD = 8;

    final MessageStore store;
    /** The only edge: the factor's message to the variable. */
    final int edge;

    SingleMessage() {
        FactorGraph.Builder b = FactorGraph.builder();
        int v = b.addVariable(CARD);
        double[] table = new double[CARD];
        Arrays.fill(table, 1);
        int f = b.addFactor(new int[] {v}, table);
        FactorGraph g = b.build();
        store = new MessageStore(g, true);
        edge = g.edge(f, 0);
    }

    /** A normalized message of {@link #CARD} distinct entries, (i + 1) / 36 or reversed. */
    static double[] ramp(boolean reversed) {
        double[] m = new double[CARD];
        for (int i = 0; i < CARD; i++) {
            m[i] = (reversed ? CARD - i : i + 1) / 36.0;
        }
        return m;
    }

    /** 1 if {@code m} equals {@code first}, 2 if it equals {@code second}, -1 otherwise (bit for bit). */
    static int verdict(double[] m, double[] first, double[] second) {
        return Arrays.equals(m, first) ? 1 : Arrays.equals(m, second) ? 2 : -1;
    }
}
