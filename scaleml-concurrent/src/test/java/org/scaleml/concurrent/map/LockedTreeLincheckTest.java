package org.scaleml.concurrent.map;

/**
 * Linearizability of {@code locked-tree}: the locked AVL tree with optimistic reads (see {@link
 * AbstractLongMapLincheckTest}).
 */
public class LockedTreeLincheckTest extends AbstractLongMapLincheckTest {
    @Override
    protected String spec() {
        return "locked-tree";
    }
}
