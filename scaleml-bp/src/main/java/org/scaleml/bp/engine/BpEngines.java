package org.scaleml.bp.engine;

import java.util.List;
import java.util.Locale;

import org.scaleml.bp.BpEngine;

/** Creates belief-propagation engines by name. Thread-safe (stateless). */
public final class BpEngines {
    private static final List<String> NAMES = List.of("auto", "sync", "residual", "splash", "relaxed-residual",
            "smq-residual", "relaxed-splash", "smq-splash");

    private BpEngines() {
    }

    /**
     * The engine names, in the order: auto (the default), synchronous, exact residual, splash, relaxed residual
     * (mq-tl, smq), relaxed splash (mq-tl, smq).
     */
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
            case "relaxed-splash" -> new RelaxedSplashBp();
            case "smq-splash" -> new RelaxedSplashBp("smq-splash", "smq", RelaxedSplashBp.DEFAULT_SIZE);
            case "auto" -> new AutoBp();
            default -> throw new IllegalArgumentException("unknown BP engine '" + name + "'; known engines: "
                    + String.join(", ", NAMES));
        };
    }
}
