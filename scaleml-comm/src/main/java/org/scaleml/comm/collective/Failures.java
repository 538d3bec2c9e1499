package org.scaleml.comm.collective;

import org.scaleml.comm.transport.CommException;
import org.scaleml.comm.transport.CommTimeoutException;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.comm.transport.PeerFailedException;

/**
 * The failure rule of every collective: a communication error inside a collective first aborts this rank's
 * transport ({@link org.scaleml.comm.transport.Transport#abort}), so that every peer blocked on this rank fails at
 * once instead of waiting for its time limit, and then propagates as an exception of the same class whose message
 * names the collective, the rank and the original cause.
 */
final class Failures {
    private Failures() {
    }

    /**
     * Aborts {@code comm}'s transport (best effort) and returns the exception to throw: of the class of {@code e}
     * ({@link PeerFailedException} keeps its peer), with a message naming {@code collective}, and {@code e} as
     * cause.
     */
    static CommException fail(Communicator comm, String collective, RuntimeException e) {
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
        return new CommException(where + e.getMessage(), e);
    }

    /** A protocol violation by {@code peer} (a frame of the wrong size or kind). */
    static CommException protocol(int peer, String what) {
        return new CommException("protocol violation by rank " + peer + ": " + what);
    }
}
