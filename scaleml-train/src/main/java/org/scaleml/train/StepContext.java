package org.scaleml.train;

import org.scaleml.comm.collective.Collectives;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.train.optim.Optimizer;

/**
 * What one rank's run gives every {@link CoordinationStep}: the communicator and its collectives, the gradient
 * exchange, the optimizer and the parameters it updates, and the bytes spent outside training traffic.
 *
 * <p>Not thread-safe: one per rank and run, used on the rank's own thread.
 */
final class StepContext {
    final Communicator comm;
    final Collectives coll;
    final GradientExchange ex;
    final Optimizer opt;
    final float[] params;
    /** The number of parameters. */
    final int n;
    /** Bytes of reports, evaluation and consistency checks: not training traffic. */
    long overheadBytes;

    StepContext(Communicator comm, GradientExchange ex, Optimizer opt, float[] params) {
        this.comm = comm;
        this.coll = new Collectives(comm);
        this.ex = ex;
        this.opt = opt;
        this.params = params;
        this.n = params.length;
    }
}
