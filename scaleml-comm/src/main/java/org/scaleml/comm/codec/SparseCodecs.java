package org.scaleml.comm.codec;

import java.util.Map;

/** Registers the sparsifying and low-rank codecs (TopK, RandomK, threshold, sign, TernGrad, PowerSGD). */
final class SparseCodecs {
    private SparseCodecs() {
    }

    static void register(Map<String, Codecs.Entry> m) {
        Codecs.add(m, "topk",
                "the k = max(1, ceil(ratio n)) largest magnitudes, gap-coded indices and float32 values; "
                        + "ratio in (0, 1] (default 0.01), select=sampled|exact (default sampled; same result, "
                        + "sampled is faster on large inputs); use as ef:topk",
                "topk:ratio=0.01,select=sampled",
                (s, seed) -> new TopKCodec(s.doubleParam("ratio", 0.01, 1e-9, 1),
                        s.choice("select", "sampled", "sampled", "exact").equals("sampled"), seed));
        Codecs.add(m, "randomk",
                "k = max(1, ceil(ratio n)) uniformly random elements, indices regenerated from a seed in the "
                        + "payload; ratio in (0, 1] (default 0.01), unbiased=true|false (default true: values "
                        + "scaled by n/k; false for ef:randomk)",
                "randomk:ratio=0.01,unbiased=true",
                (s, seed) -> new RandomKCodec(s.doubleParam("ratio", 0.01, 1e-9, 1), s.flag("unbiased", true),
                        seed));
        Codecs.add(m, "threshold",
                "+-tau for every element with |v| >= tau (Strom 2015), gap-coded indices and sign bits; "
                        + "tau=T (a fixed positive number) or tau=adaptive (default: tau adapts across calls so "
                        + "the fraction sent tracks density), density in (0, 1] (default 0.001, adaptive only); "
                        + "use as ef:threshold",
                "threshold:tau=adaptive,density=0.001",
                SparseCodecs::threshold);
        Codecs.add(m, "sign",
                "one sign bit per element and a float32 scale (mean |v|) per bucket (scaled signSGD; "
                        + "ef:sign is EF-SignSGD); bucket >= 1 (default 512)",
                "sign:bucket=512",
                (s, seed) -> new SignCodec(s.intParam("bucket", 512, 1, 1 << 30)));
        Codecs.add(m, "terngrad",
                "TernGrad (Wen et al. 2017): unbiased stochastic ternary {-s, 0, +s} with s = max |v| per "
                        + "bucket, 2 bits per element; bucket >= 1 (default 512)",
                "terngrad:bucket=512",
                (s, seed) -> new TernGradCodec(s.intParam("bucket", 512, 1, 1 << 30), seed));
        Codecs.add(m, "powersgd",
                "PowerSGD (Vogels et al. 2019): the vector as a rows x (n/rows) matrix, sent as a rank-r "
                        + "factorization P Q^T from one warm-started power-iteration step; rank >= 1 (default 4), "
                        + "rows >= 1 (required; n must be divisible by it); use as ef:powersgd",
                "powersgd:rank=4,rows=64",
                (s, seed) -> {
                    int rank = s.intParam("rank", 4, 1, 1024);
                    if (!s.has("rows")) {
                        throw new IllegalArgumentException("'" + s + "': powersgd needs rows=M (the vector is "
                                + "read as an M x n/M matrix), e.g. powersgd:rank=4,rows=64");
                    }
                    return new PowerSgdCodec(rank, s.intParam("rows", 1, 1, 1 << 30), seed);
                });
    }

    /**
     * {@code threshold:tau=T} or {@code threshold:tau=adaptive,density=D}. CodecSpec has no free-form string getter,
     * so "adaptive" is tried as a choice first and a number second.
     */
    private static GradientCodec threshold(CodecSpec s, long seed) {
        boolean adaptive;
        try {
            s.choice("tau", "adaptive", "adaptive");
            adaptive = true;
        } catch (IllegalArgumentException notAdaptive) {
            adaptive = false;
        }
        if (adaptive) {
            return new ThresholdCodec(s.doubleParam("density", 0.001, 1e-9, 1), seed);
        }
        double tau;
        try {
            tau = s.doubleParam("tau", Double.NaN, Float.MIN_NORMAL, Float.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (or 'adaptive')", e);
        }
        if (s.has("density")) {
            throw new IllegalArgumentException("'" + s + "': density applies only to tau=adaptive");
        }
        return new ThresholdCodec((float) tau, seed);
    }
}
