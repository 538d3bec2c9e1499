package org.scaleml.comm.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates codecs from specifications: {@code Codecs.create("qsgd:bits=4,bucket=512", seed)}. {@link #names()}
 * lists every codec name with its parameters; {@code ef:SPEC} wraps any codec in error feedback
 * ({@link ErrorFeedbackCodec}).
 */
public final class Codecs {
    /** Makes a codec from its parsed specification and a seed. */
    @FunctionalInterface
    public interface Factory {
        GradientCodec create(CodecSpec spec, long seed);
    }

    /** A registered codec: its name, a one-line description with its parameters, and its factory. */
    public record Entry(String name, String help, String example, Factory factory) {
    }

    private static final Map<String, Entry> REGISTRY;

    static {
        Map<String, Entry> m = new LinkedHashMap<>();
        DenseCodecs.register(m);
        QuantizerCodecs.register(m);
        SparseCodecs.register(m);
        LatticeCodec.register(m);
        REGISTRY = Collections.unmodifiableMap(m);
    }

    private Codecs() {
    }

    /** Adds an entry (used by the codec families' {@code register} methods). */
    static void add(Map<String, Entry> m, String name, String help, String example, Factory f) {
        if (m.put(name, new Entry(name, help, example, f)) != null) {
            throw new IllegalStateException("codec name registered twice: " + name);
        }
    }

    /**
     * Creates a codec.
     *
     * @param spec a specification, e.g. {@code qsgd:bits=4,bucket=512} or {@code ef:topk:ratio=0.01}
     * @param seed seed of the codec's random choices (stochastic rounding, sampling)
     * @throws IllegalArgumentException for an unknown codec or parameter, or a value out of range; the message
     *                                  names it and lists what is known
     */
    public static GradientCodec create(String spec, long seed) {
        CodecSpec s = CodecSpec.parse(spec);
        if (s.inner() != null) {
            return new ErrorFeedbackCodec(create(s.inner(), seed));
        }
        Entry e = REGISTRY.get(s.name());
        if (e == null) {
            throw new IllegalArgumentException("unknown codec '" + s.name() + "' in '" + spec + "'; known codecs: "
                    + String.join(", ", REGISTRY.keySet()) + ", and ef:SPEC for error feedback");
        }
        GradientCodec c = e.factory().create(s, seed);
        s.requireAllUsed();
        return c;
    }

    /** Every registered codec, in registration order. */
    /**
     * Which implementation of the 4-bit quantizers' and TopK's inner loops this JVM uses: {@code "plain"} (Java, the
     * default) or {@code "vector"} (the incubating Vector API, with {@code -Dscaleml.simd=true}; see the package
     * documentation). Both write the same payloads.
     */
    public static String kernels() {
        return QuantKernels.get().name();
    }

    public static List<Entry> entries() {
        return new ArrayList<>(REGISTRY.values());
    }

    /** Every registered codec name. */
    public static List<String> names() {
        return new ArrayList<>(REGISTRY.keySet());
    }
}
