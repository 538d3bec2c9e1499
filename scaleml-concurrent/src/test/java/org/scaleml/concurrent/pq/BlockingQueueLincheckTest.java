package org.scaleml.concurrent.pq;

/** Linearizability of {@code pbq} (see {@link AbstractExactQueueLincheckTest}). */
public class BlockingQueueLincheckTest extends AbstractExactQueueLincheckTest {
    @Override
    protected String spec() {
        return "pbq";
    }
}
