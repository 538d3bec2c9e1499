package org.scaleml.bp.engine;

import java.util.List;
import java.util.Locale;

import org.scaleml.bp.BpEngine;

/** Creates belief-propagation engines by name. Thread-safe (stateless). */
public final class BpEngines {
    private static final List<String> NAMES = List.of("sync", "residual", "splash", "relaxed-residual",
            "smq-residual");

    private BpEngines() {
    }

    /** The engine names, in the order: synchronous, exact residual, splash, relaxed residual (mq), (smq). */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * A new engine.
     *
     * @throws IllegalArgumentException on an unknown (or null) name; the message lists the known names
     */
    public static BpEngine create(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "sync" -> new SynchronousBp();
            case "residual" -> new ResidualBp();
            case "splash" -> new SplashBp();
            case "relaxed-residual" -> new RelaxedResidualBp();
            case "smq-residual" -> new SmqResidualBp();
            default -> throw new IllegalArgumentException("unknown BP engine '" + name + "'; known engines: "
                    + String.join(", ", NAMES));
        };
    }
}
