package org.scaleml.comm.codec;

import java.util.Map;

/** Registers the sparsifying and low-rank codecs (TopK, RandomK, threshold, sign, TernGrad, PowerSGD). */
final class SparseCodecs {
    private SparseCodecs() {
    }

    static void register(Map<String, Codecs.Entry> m) {
    }
}
