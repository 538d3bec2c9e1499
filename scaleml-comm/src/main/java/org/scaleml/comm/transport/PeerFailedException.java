package org.scaleml.comm.transport;

/** A peer died (connection closed or reset) or aborted; the message names it and what was seen. */
public class PeerFailedException extends CommException {
    private static final long serialVersionUID = 1L;
    private final int peer;

    public PeerFailedException(int peer, String message) {
        super(message);
        this.peer = peer;
    }

    public PeerFailedException(int peer, String message, Throwable cause) {
        super(message, cause);
        this.peer = peer;
    }

    /** The rank that failed. */
    public int peer() {
        return peer;
    }
}
