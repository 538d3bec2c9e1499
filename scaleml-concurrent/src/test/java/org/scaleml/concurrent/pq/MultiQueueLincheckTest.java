package org.scaleml.concurrent.pq;

/** No loss, no duplication for {@code mq} (see {@link AbstractRelaxedQueueLincheckTest}). */
public class MultiQueueLincheckTest extends AbstractRelaxedQueueLincheckTest {
    @Override
    protected String spec() {
        return "mq";
    }
}
