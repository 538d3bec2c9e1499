package org.scaleml.comm.codec;

/**
 * A valid {@link ReferenceCodec} payload decoded with a reference too far from the encoded vector: the decoded
 * point fails the payload's check. The sender can retry with a larger step (a larger decoding range).
 */
public final class ReferenceMismatchException extends CodecFormatException {
    private static final long serialVersionUID = 1L;

    public ReferenceMismatchException(String message) {
        super(message);
    }
}
