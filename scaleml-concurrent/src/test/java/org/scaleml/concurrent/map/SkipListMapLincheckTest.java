package org.scaleml.concurrent.map;

/** Linearizability of {@code skiplist}: the ConcurrentSkipListMap adapter (see {@link AbstractLongMapLincheckTest}). */
public class SkipListMapLincheckTest extends AbstractLongMapLincheckTest {
    @Override
    protected String spec() {
        return "skiplist";
    }
}
