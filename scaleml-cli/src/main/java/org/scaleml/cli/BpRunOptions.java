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
    @Option(names = "--algo", paramLabel = "ENGINE", defaultValue = "auto",
            description = "auto (synchronous rounds while they contract fast, then relaxed-splash), sync, residual "
                    + "(exact, sequential), splash (sequential), relaxed-residual, smq-residual, relaxed-splash or "
                    + "smq-splash (default: ${DEFAULT-VALUE}; see the README for which engine suits which model)")
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
