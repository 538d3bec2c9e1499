package org.scaleml.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-layer codec overrides of the command lines ({@code --layer-codec LAYER=SPEC} of {@code scaleml train} and
 * of the Spark {@code TrainJob}), parsed into the map {@link TrainSettings#layerCodecs()} takes. Stateless and
 * thread-safe.
 */
public final class LayerCodecs {
    private LayerCodecs() {
    }

    /**
     * Parses {@code LAYER=SPEC} entries: a layer name or {@code PREFIX*}, then a codec specification or
     * {@code none}. The layer is everything before the first {@code =}; each codec other than {@code none} is
     * checked with {@link GradientExchange#validateCodec}. Whether the layers exist is checked later, against the
     * model ({@link GradientExchange#checkOverrides}).
     *
     * @param entries the flag's values, in the order given
     * @return layer pattern to codec, in the order given (a repeated layer keeps its first position, last codec)
     * @throws IllegalArgumentException naming the flag and the entry: {@code --layer-codec must be LAYER=SPEC, got
     *                                  'E'} when an entry lacks a layer or a codec, {@code --layer-codec E: REASON}
     *                                  when its codec is not valid
     */
    public static Map<String, String> parse(List<String> entries) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String lc : entries) {
            int eq = lc.indexOf('=');
            if (eq <= 0 || eq == lc.length() - 1) {
                throw new IllegalArgumentException("--layer-codec must be LAYER=SPEC, got '" + lc + "'");
            }
            String c = lc.substring(eq + 1);
            if (!c.equalsIgnoreCase("none")) {
                try {
                    GradientExchange.validateCodec(c);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--layer-codec " + lc + ": " + e.getMessage(), e);
                }
            }
            m.put(lc.substring(0, eq), c);
        }
        return m;
    }
}
