package org.scaleml.concurrent.pq;

/** No loss, no duplication for {@code mq-tl:c=1,stick=2,ibuf=2,dbuf=2}: the temporal-locality MultiQueue with buffers small enough that the short Lincheck scenarios fill, spill and flush them (see {@link AbstractRelaxedQueueLincheckTest}). */
public class MultiQueueSmallBuffersLincheckTest extends AbstractRelaxedQueueLincheckTest {
    @Override
    protected String spec() {
        return "mq-tl:c=1,stick=2,ibuf=2,dbuf=2";
    }
}
