package org.scaleml.concurrent.pq;

/** Linearizability of {@code heap} (see {@link AbstractExactQueueLincheckTest}). */
public class LockedHeapLincheckTest extends AbstractExactQueueLincheckTest {
    @Override
    protected String spec() {
        return "heap";
    }
}
