package org.scaleml.bp.engine;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * {@link MessageStore}'s per-variable seqlock, one writer against one reader: a concurrent store overwrites the
 * message of the only edge into a variable of cardinality 8 with a new one while {@link MessageStore#read}
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

    private static final double[] OLD = {0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125};
    private static final double[] NEW = SingleMessage.ramp(false);

    private final SingleMessage m = new SingleMessage();
    private final double[] seen = new double[SingleMessage.CARD];

    @Actor
    public void writer() {
        m.store.write(m.edge, NEW);
    }

    @Actor
    public void reader(I_Result r) {
        m.store.read(m.edge, seen);
        r.r1 = SingleMessage.verdict(seen, OLD, NEW);
    }
}
