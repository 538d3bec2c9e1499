package org.scaleml.comm.codec;

/**
 * A payload that is not a valid payload of the codec asked to decode it: truncated, oversized, of another codec
 * or format version, for another element count, or failing its checksum or a structural check. The message names
 * the codec and what is wrong.
 */
public class CodecFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CodecFormatException(String message) {
        super(message);
    }
}
