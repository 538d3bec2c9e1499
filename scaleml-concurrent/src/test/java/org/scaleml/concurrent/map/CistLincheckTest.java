package org.scaleml.concurrent.map;

/**
 * Linearizability of {@code cist}: C-IST with its default leaves (no split within a scenario) (see {@link
 * AbstractLongMapLincheckTest}).
 */
public class CistLincheckTest extends AbstractLongMapLincheckTest {
    @Override
    protected String spec() {
        return "cist";
    }
}
