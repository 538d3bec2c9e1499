package org.scaleml.concurrent.map;

/**
 * Linearizability of {@code splay}: the splay-list with its default sampling (see {@link
 * AbstractLongMapLincheckTest}).
 */
public class SplayListSampledLincheckTest extends AbstractLongMapLincheckTest {
    @Override
    protected String spec() {
        return "splay";
    }
}
