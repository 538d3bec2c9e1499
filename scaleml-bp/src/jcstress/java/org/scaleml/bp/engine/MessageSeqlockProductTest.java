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
 * {@link MessageStore}'s seqlock on the engines' hot path: {@link MessageStore#compute} of a pairwise factor's
 * message reads the messages into the other variable under that variable's seqlock (the binary fast path) while a
 * writer replaces one of them.
 *
 * <p>The model: binary variables u and v, a unary factor on u (uniform) and an identity pairwise factor on (u, v),
 * so the computed message to v equals the message from the unary factor into u. It starts uniform,
 * {0.5, 0.5}; the writer stores {0.25, 0.75}. A torn snapshot would compute {0.4, 0.6} or {1/3, 2/3}.
 *
 * <p>Result: 1 computed from the old message, 2 from the new one, -1 from a torn snapshot.
 */
@JCStressTest
@Outcome(id = "1", expect = ACCEPTABLE, desc = "computed from the old message")
@Outcome(id = "2", expect = ACCEPTABLE, desc = "computed from the new message")
@Outcome(expect = FORBIDDEN, desc = "computed from a torn message: one entry old, one new")
@State
public class MessageSeqlockProductTest {

    private static final double[] NEW = {0.25, 0.75};

    private final MessageStore store;
    private final MessageStore.Scratch scratch;
    private final int unaryToU;
    private final int pairToV;

    public MessageSeqlockProductTest() {
        FactorGraph.Builder b = FactorGraph.builder();
        int u = b.addVariable(2);
        int v = b.addVariable(2);
        int unary = b.addFactor(new int[] {u}, new double[] {1, 1});
        int pair = b.addFactor(new int[] {u, v}, new double[] {1, 0, 0, 1});
        FactorGraph g = b.build();
        store = new MessageStore(g, true);
        scratch = store.scratch();
        unaryToU = g.edge(unary, 0);
        pairToV = g.edge(pair, 1);
    }

    @Actor
    public void writer() {
        store.write(unaryToU, NEW);
    }

    @Actor
    public void reader(I_Result r) {
        store.compute(pairToV, scratch);
        double[] out = scratch.out;
        r.r1 = out[0] == 0.5 && out[1] == 0.5 ? 1 : out[0] == 0.25 && out[1] == 0.75 ? 2 : -1;
    }
}
