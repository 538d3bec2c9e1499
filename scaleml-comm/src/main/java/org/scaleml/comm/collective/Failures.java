package org.scaleml.comm.collective;

import org.scaleml.comm.transport.CommException;
import org.scaleml.comm.transport.CommTimeoutException;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.comm.transport.PeerFailedException;

/**
 * The failure rule of every collective: an error inside a collective (after its tag block was taken) first
 * aborts this rank's transport ({@link org.scaleml.comm.transport.Transport#abort}), so that every peer blocked on this rank fails at
 * once instead of waiting for its time limit, and then propagates as an exception of the same class whose message
 * names the collective, the rank and the original cause.
 */
final class Failures {
    private Failures() {
    }

    /**
     * Aborts {@code comm}'s transport (best effort) and returns the exception to throw, with a message naming
     * {@code collective} and the rank, and {@code e} as cause: of the class of {@code e} for the transport's
     * exceptions ({@link PeerFailedException} keeps its peer), {@link CommException} for other communication
     * errors, {@link IllegalArgumentException} for a bad local input found mid-call (e.g. a non-finite value a
     * codec rejects), {@link IllegalStateException} for anything else.
     */
    static RuntimeException fail(Communicator comm, String collective, RuntimeException e) {
        String where = collective + " failed on rank " + comm.rank() + " of " + comm.size() + ": ";
        try {
            comm.transport().abort(where + e.getMessage());
        } catch (RuntimeException ignored) {
            // abort is best effort; the original failure is what the caller needs to see
        }
        if (e instanceof PeerFailedException) {
            PeerFailedException p = (PeerFailedException) e;
            return new PeerFailedException(p.peer(), where + p.getMessage(), p);
        }
        if (e instanceof CommTimeoutException) {
            CommTimeoutException t = new CommTimeoutException(where + e.getMessage());
            t.initCause(e);
            return t;
        }
        if (e instanceof CommException) {
            return new CommException(where + e.getMessage(), e);
        }
        if (e instanceof IllegalArgumentException) {
            return new IllegalArgumentException(where + e.getMessage(), e);
        }
        return new IllegalStateException(where + e, e);
    }

    /** A protocol violation by {@code peer} (a frame of the wrong size or kind). */
    static CommException protocol(int peer, String what) {
        return new CommException("protocol violation by rank " + peer + ": " + what);
    }
}
