package org.scaleml.comm.codec;

/**
 * The frame shared by codecs that send one float32 scale per bucket of {@code bucket} consecutive elements
 * followed by a fixed number of bits per element ({@link SignCodec}, {@link TernGradCodec}): body size
 * {@code 4 * ceil(n / bucket) + ceil(n * bits / 8)} bytes, exact, so that is also the bits-per-element formula.
 */
abstract class BucketScaledCodec extends AbstractCodec {
    /** Elements per bucket, at least 1. */
    final int bucket;
    private final int bitsPerValue;

    BucketScaledCodec(int id, String name, int bucket, int bitsPerValue) {
        super(id, name + ":bucket=" + bucket);
        if (bucket < 1) {
            throw new IllegalArgumentException(name + ": bucket must be >= 1, got " + bucket);
        }
        this.bucket = bucket;
        this.bitsPerValue = bitsPerValue;
    }

    /** Number of buckets of {@code n} elements. */
    final long buckets(int n) {
        return (n + (long) bucket - 1) / bucket;
    }

    @Override
    public final boolean isLossless() {
        return false;
    }

    @Override
    protected final long maxBodySize(int n) {
        return 4 * buckets(n) + Wire.bitBytes(n, bitsPerValue);
    }

    @Override
    public final double bitsPerElement(int n) {
        return wireBitsPerElement(n, maxBodySize(n));
    }
}
