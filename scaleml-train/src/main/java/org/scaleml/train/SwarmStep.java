package org.scaleml.train;

import org.scaleml.comm.collective.GossipAverager;

/**
 * {@code swarm}: local steps, then every H steps one round of pairwise gossip averaging of the models
 * ({@link GossipAverager}: a random perfect matching, each pair averages, quantized by the codec if set). The
 * ranks' models differ by design.
 */
final class SwarmStep extends CoordinationStep {
    private final int h;
    private final String codec;
    private GossipAverager gossip;

    /** @param codec the codec that quantizes the models, or null for none */
    SwarmStep(StepContext run, int h, String codec, long seed) {
        super(run);
        this.h = h;
        this.codec = codec;
        this.gossip = new GossipAverager(run.comm, seed, codec);
    }

    @Override
    void apply(float[] grad, long step) {
        run.opt.step(run.params, grad);
        if ((step + 1) % h == 0) {
            gossip.average(run.params);
        }
    }

    @Override
    boolean identical() {
        return false;
    }

    @Override
    String describe() {
        return "swarm: local steps=" + h + ", gossip averaging of models with a random partner"
                + (codec == null ? "" : ", models quantized by " + codec);
    }

    @Override
    void restart(long seed) {
        gossip = new GossipAverager(run.comm, seed, codec);
    }
}
