package org.scaleml.comm.codec;

import java.util.Map;

/** Registers the dense codecs. */
final class DenseCodecs {
    private DenseCodecs() {
    }

    static void register(Map<String, Codecs.Entry> m) {
        Codecs.add(m, "fp32", "uncompressed 32-bit floats (lossless); no parameters", "fp32",
                (s, seed) -> new DenseCodec(DenseCodec.Kind.FP32));
        Codecs.add(m, "fp16", "IEEE half precision, round to nearest even; no parameters", "fp16",
                (s, seed) -> new DenseCodec(DenseCodec.Kind.FP16));
        Codecs.add(m, "bf16", "bfloat16 (float's range, 8 significant bits); no parameters", "bf16",
                (s, seed) -> new DenseCodec(DenseCodec.Kind.BF16));
    }
}
