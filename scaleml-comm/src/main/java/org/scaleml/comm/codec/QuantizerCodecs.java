package org.scaleml.comm.codec;

import java.util.Map;

/** Registers the quantizing codecs (QSGD, NUQSGD, ALQ, AMQ, max-min). */
final class QuantizerCodecs {
    private QuantizerCodecs() {
    }

    static void register(Map<String, Codecs.Entry> m) {
    }
}
