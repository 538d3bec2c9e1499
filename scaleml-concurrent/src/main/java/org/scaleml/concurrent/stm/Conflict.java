package org.scaleml.concurrent.stm;

/**
 * The control throwable that aborts a transaction attempt from inside its body (a read met a cell it cannot
 * use); {@link Stm#atomic} catches it and re-executes the body. One shared instance without a stack trace: throwing
 * it costs about as much as a return. An {@link Error}, so that bodies catching {@code Exception} do not swallow it.
 */
final class Conflict extends Error {
    private static final long serialVersionUID = 1L;

    static final Conflict INSTANCE = new Conflict();

    private Conflict() {
        super("transaction conflict (internal: caught by Stm.atomic)", null, false, false);
    }
}
