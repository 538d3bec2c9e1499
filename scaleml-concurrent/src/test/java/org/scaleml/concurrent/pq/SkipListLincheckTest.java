package org.scaleml.concurrent.pq;

/** Linearizability of {@code skiplist} (see {@link AbstractExactQueueLincheckTest}). */
public class SkipListLincheckTest extends AbstractExactQueueLincheckTest {
    @Override
    protected String spec() {
        return "skiplist";
    }
}
