package org.scaleml.concurrent.pq;

/** No loss, no duplication for {@code smq:psteal=0.5,batch=2} (see {@link AbstractRelaxedQueueLincheckTest}). */
public class StealingMultiQueueLincheckTest extends AbstractRelaxedQueueLincheckTest {
    @Override
    protected String spec() {
        return "smq:psteal=0.5,batch=2";
    }
}
