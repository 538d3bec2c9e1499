package org.scaleml.concurrent.map;

/**
 * Linearizability of {@code splay:sample=1}: the splay-list, every lookup accounted (ascents and descents within a
 * scenario) (see {@link AbstractLongMapLincheckTest}).
 */
public class SplayListLincheckTest extends AbstractLongMapLincheckTest {
    @Override
    protected String spec() {
        return "splay:sample=1";
    }
}
