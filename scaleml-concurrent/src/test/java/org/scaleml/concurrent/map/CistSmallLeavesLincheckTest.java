package org.scaleml.concurrent.map;

/**
 * Linearizability of {@code cist:leaf=2,rebuild=0.5}: C-IST with two-key leaves: leaves split and subtrees are
 * rebuilt within a scenario (see {@link AbstractLongMapLincheckTest}).
 */
public class CistSmallLeavesLincheckTest extends AbstractLongMapLincheckTest {
    @Override
    protected String spec() {
        return "cist:leaf=2,rebuild=0.5";
    }
}
