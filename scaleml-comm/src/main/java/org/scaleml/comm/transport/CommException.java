package org.scaleml.comm.transport;

/** A communication failure: a dead or aborting peer, a time limit, a protocol violation or a closed endpoint. */
public class CommException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommException(String message) {
        super(message);
    }

    public CommException(String message, Throwable cause) {
        super(message, cause);
    }
}
