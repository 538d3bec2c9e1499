package org.scaleml.comm.transport;

/** A blocking call passed its time limit; the message says who waited for whom and for how long. */
public class CommTimeoutException extends CommException {
    private static final long serialVersionUID = 1L;

    public CommTimeoutException(String message) {
        super(message);
    }
}
