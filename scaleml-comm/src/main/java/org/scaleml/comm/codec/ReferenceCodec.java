package org.scaleml.comm.codec;

/**
 * A codec whose payloads decode relative to a reference vector held by the receiver: the payload carries only the
 * low-order part of each coordinate (its "color"), and the receiver completes it with the point nearest to its own
 * reference. The decoding is correct when the encoded vector and the reference are close (within {@link #range()}
 * per coordinate of the codec's decoding domain), whatever their norm; a payload decoded with a reference that is
 * too far is detected by a check carried in the payload and throws {@link ReferenceMismatchException}.
 *
 * <h2>Contract</h2>
 * In addition to {@link GradientCodec}'s: the plain {@link #decode} and {@link #decodeAdd} decode with the zero
 * vector as reference (so they succeed for inputs within {@link #range()} of 0). {@link #encode(float[], int, int,
 * byte[], int, double)} encodes with an explicit step (a retry with a larger range after a mismatch); the payload
 * carries the step it was encoded with, so any instance of the same specification decodes it. The reference
 * decoders accept {@code ref == dst} at the same offset (decoding in place over the reference). After a
 * {@link ReferenceMismatchException} {@code dst[dstOff, dstOff + n)} may have been partly written; decode into a
 * scratch array when the reference must survive a failed decode.
 */
public interface ReferenceCodec extends GradientCodec {

    /** The step (lattice spacing) {@link #encode(float[], int, int, byte[], int)} uses. */
    double step();

    /**
     * The decoding radius at {@code step}: a payload encoded with that step decodes exactly to the encoded lattice
     * point when every coordinate of (encoded vector - reference), in the codec's decoding domain, is smaller than
     * this in magnitude.
     */
    double rangeAt(double step);

    /** {@link #rangeAt rangeAt(step())}. */
    default double range() {
        return rangeAt(step());
    }

    /**
     * As {@link GradientCodec#encode}, with {@code step} instead of the configured step.
     *
     * @throws IllegalArgumentException if {@code step} is not finite and positive, or an input is not finite or
     *                                  too large for the step
     */
    int encode(float[] src, int off, int n, byte[] dst, int dstOff, double step);

    /**
     * Decodes the payload {@code src[srcOff, srcOff + srcLen)} relative to the reference {@code ref[refOff,
     * refOff + n)} into {@code dst[dstOff, dstOff + n)}, overwriting it.
     *
     * @throws ReferenceMismatchException if the payload is valid but the reference is too far from the encoded
     *                                    vector (the decoded point fails the payload's check)
     * @throws CodecFormatException       if the payload is not a valid payload of this codec for {@code n} elements
     */
    void decode(byte[] src, int srcOff, int srcLen, float[] ref, int refOff, float[] dst, int dstOff, int n);

    /** As {@link #decode(byte[], int, int, float[], int, float[], int, int)}, adding to {@code dst}. */
    void decodeAdd(byte[] src, int srcOff, int srcLen, float[] ref, int refOff, float[] dst, int dstOff, int n);
}
