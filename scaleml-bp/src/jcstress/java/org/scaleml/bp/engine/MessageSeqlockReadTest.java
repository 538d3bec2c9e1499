package org.scaleml.bp.engine;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;
import org.scaleml.bp.FactorGraph;

/**
 * {@link MessageStore}'s per-variable seqlock, one writer against one reader: a concurrent store overwrites the
 * message of the only edge into a variable of cardinality 8 with {@link #NEW} while {@link MessageStore#read}
 * copies it. The reader returns the uniform message it started from or the new one, entry for entry, never a mix
 * (a torn message).
 *
 * <p>Result: 1 the old (uniform) message, 2 the new one, -1 anything else.
 */
@JCStressTest
@Outcome(id = "1", expect = ACCEPTABLE, desc = "read the old message")
@Outcome(id = "2", expect = ACCEPTABLE, desc = "read the new message")
@Outcome(expect = FORBIDDEN, desc = "a torn message: some entries old, some new")
@State
public class MessageSeqlockReadTest {

    static final int CARD = 8;
    static final double[] NEW = {1 / 36.0, 2 / 36.0, 3 / 36.0, 4 / 36.0, 5 / 36.0, 6 / 36.0, 7 / 36.0, 8 / 36.0};
    private static final double[] OLD = {0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125};

    private final MessageStore store;
    private final int edge;
    private final double[] seen = new double[CARD];

    public MessageSeqlockReadTest() {
        FactorGraph.Builder b = FactorGraph.builder();
        int v = b.addVariable(CARD);
        int f = b.addFactor(new int[] {v}, OLD);
        FactorGraph g = b.build();
        store = new MessageStore(g, true);
        edge = g.edge(f, 0);
    }

    @Actor
    public void writer() {
        store.write(edge, NEW);
    }

    @Actor
    public void reader(I_Result r) {
        store.read(edge, seen);
        r.r1 = verdict(seen, OLD, NEW);
    }

    /** 1 if {@code m} equals {@code first}, 2 if it equals {@code second}, -1 otherwise (bit for bit). */
    static int verdict(double[] m, double[] first, double[] second) {
        return java.util.Arrays.equals(m, first) ? 1 : java.util.Arrays.equals(m, second) ? 2 : -1;
    }
}
