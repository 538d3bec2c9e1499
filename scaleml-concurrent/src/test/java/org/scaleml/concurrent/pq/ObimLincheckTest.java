package org.scaleml.concurrent.pq;

/**
 * No loss, no duplication for {@code obim:delta=1,chunk=2} (see {@link AbstractRelaxedQueueLincheckTest}): chunks of
 * two elements and buckets of two priorities, so the scenarios fill, publish, steal and retire chunks across
 * buckets, the paths where an element could be lost or returned twice.
 */
public class ObimLincheckTest extends AbstractRelaxedQueueLincheckTest {
    @Override
    protected String spec() {
        return "obim:delta=1,chunk=2";
    }
}
