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
 * {@link org.scaleml.comm.codec.CodecRandom} (the fixed-width quantizers {@code qsgd}, {@code nuqsgd}, {@code alq},
 * {@code amq}, {@code maxmin}: from {@code LaneRandom}, eight interleaved xoroshiro128+ generators read as one
 * stream), so payloads are reproducible. Bit streams are little-endian, least significant bit first
 * ({@link org.scaleml.comm.codec.BitWriter}).
 *
 * <p>Speed. The inner loops of the 4-bit quantizers and of TopK's candidate scan live in {@code QuantKernels}:
 * plain Java by default, or the JDK's incubating Vector API when the JVM runs with
 * {@code --add-modules jdk.incubator.vector -Dscaleml.simd=true} on JDK 21 or newer with 512-bit vectors (the
 * launcher's {@code SCALEML_SIMD=1}); both write identical payloads (tests compare them), so the flag changes the
 * speed only. The random stream of the fixed-width quantizers changed in this release (one generator became eight
 * lanes): payloads for a given seed differ from earlier releases', the wire formats do not
 * ({@code CodecWireFormatTest} decodes payloads of the earlier encoders).
 *
 * <p>Reference codecs ({@link org.scaleml.comm.codec.ReferenceCodec}, the {@code lattice} family of
 * {@code LatticeCodec}, codec id 16) send only the low-order part of each coordinate and decode relative to a
 * vector the receiver holds; their body (24-byte header: bits, basis, log2 block, reserved, float64 step, int64
 * rotation seed, int32 check of the lattice point; then the colors at exactly {@code bits} bits per element) is
 * documented bit for bit on the class. The check makes a decode against a too-distant reference fail with
 * {@link org.scaleml.comm.codec.ReferenceMismatchException} instead of returning a wrong point; plain
 * {@code decode} uses the reference 0.
 */
package org.scaleml.comm.codec;
