package org.scaleml.cli;

import org.scaleml.bp.BpEngine;
import org.scaleml.bp.engine.BpEngines;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every single belief-propagation run takes, in {@code bp} and {@code denoise} (a picocli mixin): the
 * engine and its {@link BpSettingsOptions settings}.
 */
final class BpRunOptions {
    @Option(names = "--algo", paramLabel = "ENGINE", defaultValue = "relaxed-residual",
            description = "sync, residual, splash, relaxed-residual or smq-residual (default: ${DEFAULT-VALUE})")
    String algo;

    @Mixin
    BpSettingsOptions settings = new BpSettingsOptions();

    BpEngine engine(CommandSpec spec) {
        try {
            return BpEngines.create(algo);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--algo: " + e.getMessage());
        }
    }
}
