package org.scaleml.comm.codec;

import java.util.Map;

/**
 * Registers the quantizing codecs: {@code qsgd} and {@code qsgd-elias} (QSGD, fixed-width and Elias-coded),
 * {@code nuqsgd} (exponential levels), {@code alq} and {@code amq} (levels adapted to the data) and {@code maxmin}
 * (CGX's per-bucket max-min grid). Every one is bucketed and unbiased; each class documents its wire format.
 * Specifications print every parameter, in the order of the help text.
 */
final class QuantizerCodecs {
    /** Largest bucket accepted by every quantizer (the encoder keeps scratch of up to one bucket). */
    static final int MAX_BUCKET = 1 << 24;

    private QuantizerCodecs() {
    }

    static void register(Map<String, Codecs.Entry> m) {
        Codecs.add(m, "qsgd", "QSGD, unbiased stochastic rounding to uniform levels, fixed-width codes: bits=B in "
                        + "[2, 8] (default 4: sign + 2^(B-1)-1 levels), bucket=D elements per scale (default 512), "
                        + "norm=l2|max bucket scale (default l2)",
                "qsgd:bits=4,bucket=512,norm=l2",
                (s, seed) -> new QsgdCodec(s.intParam("bits", 4, 2, 8), bucket(s),
                        s.choice("norm", "l2", "l2", "max").equals("max"), seed));
        Codecs.add(m, "qsgd-elias", "QSGD with Elias gamma codes of the non-zero levels (variable length): "
                        + "levels=S non-zero levels in [1, 65535] (default 1), bucket=D (default 512)",
                "qsgd-elias:levels=1,bucket=512",
                (s, seed) -> new QsgdEliasCodec(s.intParam("levels", 1, 1, 65535), bucket(s), seed));
        Codecs.add(m, "nuqsgd", "NUQSGD, unbiased stochastic rounding to exponential levels 0, 2^-(s-1) .. 1/2, 1: "
                        + "bits=B in [2, 8] (default 4: sign + s = 2^(B-1)-1 levels), bucket=D (default 512)",
                "nuqsgd:bits=4,bucket=512",
                (s, seed) -> new NuqsgdCodec(s.intParam("bits", 4, 2, 8), bucket(s), seed));
        Codecs.add(m, "alq", "ALQ, levels fitted to the data by coordinate descent (sent in each payload): bits=B in "
                        + "[2, 8] (default 4), bucket=D (default 512), update=K refit every K encodes (default 10)",
                "alq:bits=4,bucket=512,update=10",
                (s, seed) -> new AdaptiveLevelsCodec(false, s.intParam("bits", 4, 2, 8), bucket(s), update(s), seed));
        Codecs.add(m, "amq", "AMQ, exponential levels p^(s-j) with the multiplier p fitted to the data: bits=B in "
                        + "[2, 8] (default 4), bucket=D (default 512), update=K refit every K encodes (default 10)",
                "amq:bits=4,bucket=512,update=10",
                (s, seed) -> new AdaptiveLevelsCodec(true, s.intParam("bits", 4, 2, 8), bucket(s), update(s), seed));
        Codecs.add(m, "maxmin", "CGX max-min quantization, 2^B levels evenly spaced in each bucket's [min, max]: "
                        + "bits=B in [1, 8] (default 4), bucket=D (default 512)",
                "maxmin:bits=4,bucket=512",
                (s, seed) -> new MaxMinCodec(s.intParam("bits", 4, 1, 8), bucket(s), seed));
    }

    private static int bucket(CodecSpec s) {
        return s.intParam("bucket", 512, 1, MAX_BUCKET);
    }

    private static int update(CodecSpec s) {
        return s.intParam("update", 10, 1, Integer.MAX_VALUE);
    }
}
