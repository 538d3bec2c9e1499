package org.scaleml.bp;

/**
 * Thrown when a model, with its evidence, gives every assignment probability zero, so that no marginal exists:
 * evidence the model rules out (a variable observed at a value some factor forbids, directly or through other
 * factors), or hard zeros in the model that contradict each other. It is invalid input, hence an
 * {@link IllegalArgumentException}; the message is one line naming the variable and the factor involved.
 */
public final class ZeroProbabilityException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The variable whose values were all ruled out. */
    private final int variable;
    /** The factor that ruled out the last of them, or -1. */
    private final int factor;

    /**
     * @param variable the variable whose values were all ruled out
     * @param factor   the factor that ruled out the last of them, or -1 if none in particular
     * @param message  one line saying what happened
     */
    public ZeroProbabilityException(int variable, int factor, String message) {
        super(message);
        this.variable = variable;
        this.factor = factor;
    }

    /** The variable whose values were all ruled out. */
    public int variable() {
        return variable;
    }

    /** The factor that ruled out the last of them, or -1 if none in particular. */
    public int factor() {
        return factor;
    }
}
