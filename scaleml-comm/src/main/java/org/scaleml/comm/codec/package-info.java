/**
 * Gradient compression codecs with exact, versioned wire formats.
 *
 * <p>A {@link org.scaleml.comm.codec.GradientCodec} encodes a {@code float[]} slice into a self-describing payload
 * (common header of {@link org.scaleml.comm.codec.Wire}: version, codec id, element count, CRC32C) and decodes
 * or decode-accumulates it. Codecs are made from specification strings by
 * {@link org.scaleml.comm.codec.Codecs#create(String, long)}; {@code ef:SPEC} adds error feedback to any of them.
 *
 * <p>Design choices that hold across the package: payloads decode without encoder state (levels, scales and
 * shapes travel in the body); decoders validate everything and throw
 * {@link org.scaleml.comm.codec.CodecFormatException}, never allocating in proportion to a payload field;
 * encoders keep scratch space between calls and allocate nothing per element; randomness comes from a seeded
 * {@link org.scaleml.comm.codec.CodecRandom}, so payloads are reproducible. Bit streams are little-endian, least
 * significant bit first ({@link org.scaleml.comm.codec.BitWriter}).
 */
package org.scaleml.comm.codec;
