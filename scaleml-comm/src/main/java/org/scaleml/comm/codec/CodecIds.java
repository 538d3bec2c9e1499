package org.scaleml.comm.codec;

/** The codec ids of byte 1 of the payload header (see {@link Wire}). Ids are never reused. */
public final class CodecIds {
    public static final int FP32 = 1;
    public static final int FP16 = 2;
    public static final int BF16 = 3;
    public static final int QSGD = 4;
    public static final int QSGD_ELIAS = 5;
    public static final int NUQSGD = 6;
    public static final int ALQ = 7;
    public static final int AMQ = 8;
    public static final int TOPK = 9;
    public static final int RANDOMK = 10;
    public static final int THRESHOLD = 11;
    public static final int SIGN = 12;
    public static final int TERNGRAD = 13;
    public static final int POWERSGD = 14;
    public static final int MAXMIN = 15;
    public static final int LATTICE = 16;

    private static final String[] NAMES = {"?", "fp32", "fp16", "bf16", "qsgd", "qsgd-elias", "nuqsgd", "alq",
            "amq", "topk", "randomk", "threshold", "sign", "terngrad", "powersgd", "maxmin", "lattice"};

    private CodecIds() {
    }

    /** The codec name of an id, or "unknown" if there is none. */
    public static String name(int id) {
        return id > 0 && id < NAMES.length ? NAMES[id] : "unknown";
    }
}
