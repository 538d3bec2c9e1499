package org.scaleml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.bp.BpEngine;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.image.BinaryImage;
import org.scaleml.bp.image.DenoiseModel;
import org.scaleml.cli.report.BpReport;
import org.scaleml.cli.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scaleml denoise}: binary image denoising with an Ising prior. */
@Command(name = "denoise",
        header = "Denoises a binary image with belief propagation on an Ising grid.",
        mixinStandardHelpOptions = true, versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Denoises a binary image: reads a PNG, thresholds it to black and white (optionally adds",
                "flip noise with --noise P, for experiments), builds an Ising grid whose pairwise factors prefer",
                "equal neighbours (--coupling J) and whose unary factors trust the observed pixel (--evidence h,",
                "default 1/2 ln((1-P)/P) for the given P, else 1), runs BP and writes the per-pixel most likely",
                "value as a PNG.",
                "",
        },
        footer = {"", "Example: scaleml denoise --image ../shared/data/images/horse.png --noise 0.1 "
                + "--out clean.png --json"})
final class DenoiseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--image", paramLabel = "IN.png", required = true, description = "input image (PNG)")
    Path image;

    @Option(names = "--out", paramLabel = "OUT.png", required = true, description = "output image (PNG)")
    Path out;

    @Option(names = "--noisy-out", paramLabel = "FILE.png", description = "also write the noisy input")
    Path noisyOut;

    @Option(names = "--noise", paramLabel = "P", defaultValue = "0",
            description = "flip each pixel with probability P before denoising (default: 0, take the image as it "
                    + "is)")
    double noise;

    @Option(names = "--coupling", paramLabel = "J", defaultValue = "0.9",
            description = "strength of the smoothness prior (default: ${DEFAULT-VALUE})")
    double coupling;

    @Option(names = "--evidence", paramLabel = "H", description = "strength of the observation term")
    Double evidence;

    @Option(names = "--threshold", paramLabel = "T", defaultValue = "0.5",
            description = "luminance threshold in (0, 1) for black and white (default: 0.5)")
    double threshold;

    @Mixin
    BpRunOptions run = new BpRunOptions();

    @Option(names = "--json", description = "print one JSON object: the run keys of 'scaleml bp' plus width, "
            + "height, noisyWrong and denoisedWrong (pixels differing from the clean input when --noise > 0)")
    boolean json;

    @Override
    public Integer call() throws IOException {
        BpEngine engine = run.engine(spec);
        run.settings.options(spec, FactorGraph.builder().build()); // validate the flags before reading anything
        if (!(noise >= 0 && noise < 0.5)) {
            throw new ParameterException(spec.commandLine(), "--noise must be in [0, 0.5), got " + noise);
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new ParameterException(spec.commandLine(), "--threshold must be in (0, 1), got " + threshold);
        }
        Flags.inputFile(spec, "--image", image, "image file");
        Flags.outputFile(spec, "--out", out);
        Flags.outputFile(spec, "--noisy-out", noisyOut);
        BinaryImage clean;
        try {
            clean = BinaryImage.readPng(image, threshold);
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + image);
        }
        BinaryImage noisy = noise > 0 ? clean.withFlipNoise(noise, run.settings.seed) : clean;
        if (noisyOut != null) {
            noisy.writePng(noisyOut);
        }
        double h = evidence != null ? evidence : noise > 0 ? DenoiseModel.evidenceStrength(noise) : 1.0;
        DenoiseModel m = DenoiseModel.build(noisy, coupling, h);
        BpResult r = engine.run(m.graph(), run.settings.options(spec, m.graph()));
        BinaryImage result = m.toImage(r.marginals());
        result.writePng(out);
        PrintWriter pw = spec.commandLine().getOut();
        if (json) {
            pw.println(Json.object(w -> {
                BpReport.writeRun(w, r, run.settings.threads, m.graph());
                w.name("width").value(m.width());
                w.name("height").value(m.height());
                if (noise > 0) {
                    w.name("noisyWrong").value(noisy.differences(clean));
                    w.name("denoisedWrong").value(result.differences(clean));
                }
            }));
        } else {
            pw.printf(Locale.ROOT, "%s: %dx%d, %s after %,d updates in %.1f ms%s; written to %s%n", r.engine(),
                    m.width(), m.height(), r.converged() ? "converged" : "NOT converged", r.updates(), r.millis(),
                    noise > 0 ? String.format(Locale.ROOT, ", wrong pixels %d -> %d", noisy.differences(clean),
                            result.differences(clean)) : "", out);
        }
        pw.flush();
        return 0;
    }
}
