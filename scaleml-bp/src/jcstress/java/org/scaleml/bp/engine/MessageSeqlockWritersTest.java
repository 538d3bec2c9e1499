package org.scaleml.bp.engine;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;
import org.scaleml.bp.FactorGraph;

/**
 * {@link MessageStore}'s per-variable seqlock, two writers: both store a message of cardinality 8 into the same
 * edge at the same time. The seqlock's CAS from even to odd makes the writes mutually exclusive, so afterwards the
 * message is one of the two, whole, and the sequence number is even again (the arbiter's read would spin forever
 * otherwise).
 *
 * <p>Result, read by the arbiter: 1 the first writer's message, 2 the second's, -1 a mix of the two.
 */
@JCStressTest
@Outcome(id = "1", expect = ACCEPTABLE, desc = "the first writer's message was stored last")
@Outcome(id = "2", expect = ACCEPTABLE, desc = "the second writer's message was stored last")
@Outcome(expect = FORBIDDEN, desc = "the two writes interleaved: a mixed message")
@State
public class MessageSeqlockWritersTest {

    private static final double[] FIRST = MessageSeqlockReadTest.NEW;
    private static final double[] SECOND = {8 / 36.0, 7 / 36.0, 6 / 36.0, 5 / 36.0, 4 / 36.0, 3 / 36.0, 2 / 36.0, 1 / 36.0};

    private final MessageStore store;
    private final int edge;

    public MessageSeqlockWritersTest() {
        FactorGraph.Builder b = FactorGraph.builder();
        int v = b.addVariable(MessageSeqlockReadTest.CARD);
        int f = b.addFactor(new int[] {v}, FIRST);
        FactorGraph g = b.build();
        store = new MessageStore(g, true);
        edge = g.edge(f, 0);
    }

    @Actor
    public void first() {
        store.write(edge, FIRST);
    }

    @Actor
    public void second() {
        store.write(edge, SECOND);
    }

    @Arbiter
    public void check(I_Result r) {
        double[] m = new double[MessageSeqlockReadTest.CARD];
        store.read(edge, m);
        r.r1 = MessageSeqlockReadTest.verdict(m, FIRST, SECOND);
    }
}
