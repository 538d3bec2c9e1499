package org.scaleml.bp.engine;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

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

    private static final double[] FIRST = SingleMessage.ramp(false);
    private static final double[] SECOND = SingleMessage.ramp(true);

    private final SingleMessage m = new SingleMessage();

    @Actor
    public void first() {
        m.store.write(m.edge, FIRST);
    }

    @Actor
    public void second() {
        m.store.write(m.edge, SECOND);
    }

    @Arbiter
    public void check(I_Result r) {
        double[] seen = new double[SingleMessage.CARD];
        m.store.read(m.edge, seen);
        r.r1 = SingleMessage.verdict(seen, FIRST, SECOND);
    }
}
