package org.scaleml.comm.codec;

/**
 * A gradient codec: turns a slice of a {@code float[]} into a self-describing byte payload with a documented,
 * versioned wire format, and back.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Payload.</b> {@link #encode} writes one payload: the common header of {@link Wire} (format version,
 *       codec id, element count, CRC32C of the body) and a codec-specific body documented on each codec class.
 *       The payload alone decodes: no state of the encoder is needed on the receiving side (levels, thresholds,
 *       scales and shapes travel in the body).</li>
 *   <li><b>Validation.</b> {@link #decode} and {@link #decodeAdd} accept only a payload of exactly
 *       {@code srcLen} bytes, of this codec's id and format version, for exactly {@code n} elements, whose body
 *       passes its CRC and its own structural checks. Anything else (truncated, oversized, wrong version or
 *       codec, mutated) throws {@link CodecFormatException} naming what is wrong. Header, length and
 *       checksum are checked before {@code dst} is written; only a payload with a valid checksum but an invalid
 *       structure (crafted, or from a faulty encoder) can fail after part of {@code dst} was written. Decoding
 *       never allocates memory in proportion to a field of the payload.</li>
 *   <li><b>Loss.</b> Lossless codecs reproduce the input bit for bit (NaN payload bits aside); lossy ones
 *       document their error (unbiased stochastic quantizers: {@code E[decode(encode(v))] = v}).</li>
 *   <li><b>Determinism.</b> A codec made by {@link Codecs#create(String, long)} with a given seed produces the
 *       same sequence of payloads for the same sequence of inputs.</li>
 *   <li><b>State and threads.</b> A codec instance belongs to one stream of tensors (one layer on one worker):
 *       encoders may keep state between calls (random streams, adapted levels, warm starts, residuals) and are
 *       not thread-safe. Decoding is stateless and may run on any instance of the same specification.</li>
 *   <li><b>Allocation.</b> {@code encode} and {@code decode} do not allocate per element; codecs that need
 *       scratch space keep it between calls and grow it only when a larger input arrives.</li>
 * </ul>
 */
public interface GradientCodec {

    /** The canonical specification, e.g. {@code qsgd:bits=4,bucket=512}; {@link Codecs#create} accepts it. */
    String spec();

    /** The codec id written in byte 1 of every payload (see {@link Wire}). */
    int id();

    /** True if decode(encode(v)) == v exactly for every finite v. */
    boolean isLossless();

    /**
     * An upper bound on the payload size in bytes for {@code n} elements, header included: a buffer of this size
     * always suffices for {@link #encode}.
     *
     * @throws IllegalArgumentException if {@code n < 0} or the bound would not fit an {@code int}
     */
    int maxEncodedSize(int n);

    /**
     * The wire size by the codec's formula, in bits per element, header included, for {@code n} elements: exact
     * for fixed-size formats; for data-dependent formats (sparse codes, variable-length codes) the size at the
     * codec's nominal operating point, documented on the codec (e.g. TopK: k values and k indices at the
     * expected gap code length).
     */
    double bitsPerElement(int n);

    /**
     * Encodes {@code src[off, off + n)} into {@code dst} from {@code dstOff}.
     *
     * @return the number of bytes written, at most {@link #maxEncodedSize(int) maxEncodedSize(n)}
     * @throws IndexOutOfBoundsException if a range is outside its array or {@code dst} has less than
     *                                   {@code maxEncodedSize(n)} bytes from {@code dstOff}
     */
    int encode(float[] src, int off, int n, byte[] dst, int dstOff);

    /**
     * Decodes the payload {@code src[srcOff, srcOff + srcLen)} into {@code dst[dstOff, dstOff + n)},
     * overwriting it.
     *
     * @throws CodecFormatException      if the payload is not a valid payload of this codec for {@code n} elements
     * @throws IndexOutOfBoundsException if a range is outside its array
     */
    void decode(byte[] src, int srcOff, int srcLen, float[] dst, int dstOff, int n);

    /**
     * As {@link #decode}, but adds the decoded values to {@code dst[dstOff, dstOff + n)} without a temporary
     * array (the reduction step of a collective).
     */
    void decodeAdd(byte[] src, int srcOff, int srcLen, float[] dst, int dstOff, int n);
}
