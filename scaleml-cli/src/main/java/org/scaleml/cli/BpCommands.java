package org.scaleml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.google.gson.stream.JsonWriter;
import org.scaleml.bp.BpEngine;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.engine.BpEngines;
import org.scaleml.bp.image.BinaryImage;
import org.scaleml.bp.image.DenoiseModel;
import org.scaleml.bp.io.EvidenceReader;
import org.scaleml.bp.io.MarWriter;
import org.scaleml.bp.io.UaiReader;
import org.scaleml.bp.ldpc.AlistReader;
import org.scaleml.bp.ldpc.LdpcSimulation;
import org.scaleml.bp.ldpc.ParityCheckCode;
import org.scaleml.cli.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The belief-propagation commands: {@code bp}, {@code ldpc}, {@code denoise}. */
final class BpCommands {
    private BpCommands() {
    }

    /** Options every BP run shares. */
    static final class RunOptions {
        @Option(names = "--algo", paramLabel = "ENGINE", defaultValue = "relaxed-residual",
                description = "sync, residual, splash, relaxed-residual or smq-residual (default: ${DEFAULT-VALUE})")
        String algo;

        @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
                description = "worker threads of the parallel engines (default: ${DEFAULT-VALUE})")
        int threads;

        @Option(names = "--epsilon", paramLabel = "E", defaultValue = "1e-5",
                description = "convergence: largest message residual allowed (default: ${DEFAULT-VALUE})")
        double epsilon;

        @Option(names = "--max-updates", paramLabel = "U", defaultValue = "0",
                description = "cap on message updates; a run that reaches it reports converged: false (default: "
                        + "0 = 1000 updates per message edge, at least 10^6)")
        long maxUpdates;

        @Option(names = "--damping", paramLabel = "D", defaultValue = "0",
                description = "message damping in [0, 1) (default: 0)")
        double damping;

        @Option(names = "--seed", defaultValue = "42", description = "seed of the relaxed schedulers (default: 42)")
        long seed;

        BpEngine engine(CommandSpec spec) {
            try {
                return BpEngines.create(algo);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--algo: " + e.getMessage());
            }
        }

        BpOptions options(CommandSpec spec, FactorGraph g) {
            Flags.threads(spec, threads);
            if (maxUpdates < 0) {
                throw new ParameterException(spec.commandLine(), "--max-updates must be positive, or 0 for the "
                        + "default");
            }
            long cap = maxUpdates > 0 ? maxUpdates : Math.max(1_000_000L, 1000L * g.edges());
            try {
                return new BpOptions(epsilon, cap, damping, threads, seed);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
    }


    static void writeRun(JsonWriter w, BpResult r, int threads, FactorGraph g) throws IOException {
        w.name("algo").value(r.engine());
        w.name("threads").value(threads);
        w.name("variables").value(g.variables());
        w.name("factors").value(g.factors());
        w.name("updates").value(r.updates());
        w.name("millis").value(Math.round(r.millis() * 1000) / 1000.0);
        w.name("converged").value(r.converged());
        w.name("maxResidual").value(r.maxResidual());
    }

    /** {@code scaleml bp}: marginals of a UAI model. */
    @Command(name = "bp",
            header = "Belief propagation on a UAI model: the marginals of every variable.",
            mixinStandardHelpOptions = true, versionProvider = ScaleMl.Version.class,
            sortOptions = false,
            description = {
                    "Belief propagation on a UAI model (MARKOV or BAYES, plain or .gz) with optional evidence:",
                    "marginals of every variable, written in the UAI MAR format with --out.",
                    "",
            },
            footerHeading = "%nWith --json: one JSON object. Keys:%n",
            footer = {
                    "  algo, threads, variables, factors   what ran on what",
                    "  updates         factor-to-variable message updates",
                    "  millis          wall time of the BP run (loading excluded)",
                    "  converged       every message residual <= epsilon when the run stopped",
                    "  maxResidual     the largest message residual at the end",
                    "",
                    "Example: scaleml bp --model ../shared/data/uai/Grids_11.uai --algo relaxed-residual "
                            + "--threads 2 --json%n",
            })
    static final class Bp implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", paramLabel = "FILE", required = true, description = "a UAI model file")
        Path model;

        @Option(names = "--evid", paramLabel = "FILE", description = "a UAI evidence file (.evid)")
        Path evid;

        @Option(names = "--out", paramLabel = "FILE", description = "write the marginals here (UAI MAR format)")
        Path out;

        @picocli.CommandLine.Mixin
        RunOptions run = new RunOptions();

        @Option(names = "--json", description = "print one JSON object (keys below)")
        boolean json;

        @Override
        public Integer call() throws IOException {
            BpEngine engine = run.engine(spec);
            run.options(spec, FactorGraph.builder().build()); // validate the flags before reading anything
            Flags.inputFile(spec, "--model", model, "model file");
            if (evid != null) {
                Flags.inputFile(spec, "--evid", evid, "evidence file");
            }
            Flags.outputFile(spec, "--out", out);
            FactorGraph g = UaiReader.read(model);
            if (evid != null) {
                EvidenceReader.Evidence e = EvidenceReader.read(evid, g);
                g = g.withEvidence(e.vars(), e.values());
            }
            BpResult r = engine.run(g, run.options(spec, g));
            if (out != null) {
                MarWriter.write(out, r.marginals());
            }
            FactorGraph graph = g;
            PrintWriter pw = spec.commandLine().getOut();
            if (json) {
                pw.println(Json.object(w -> writeRun(w, r, run.threads, graph)));
            } else {
                pw.printf(Locale.ROOT, "%s on %s (%d variables, %d factors), %d thread(s): %s after %,d updates in "
                                + "%.1f ms, max residual %.2e%s%n", r.engine(), model, graph.variables(),
                        graph.factors(), run.threads, r.converged() ? "converged" : "NOT converged", r.updates(),
                        r.millis(), r.maxResidual(), out != null ? "; marginals in " + out : "");
            }
            pw.flush();
            return r.converged() ? 0 : ScaleMl.EXIT_FAILURE;
        }
    }

    /** {@code scaleml ldpc}: bit and frame error rates of an LDPC code over AWGN. */
    @Command(name = "ldpc",
            header = "Simulates an LDPC code over an AWGN channel: bit and frame error rates.",
            mixinStandardHelpOptions = true, versionProvider = ScaleMl.Version.class,
            sortOptions = false,
            description = {
                    "Simulates an LDPC code (MacKay alist file) with BPSK over an AWGN channel at --snr-db",
                    "(Eb/N0), decoded by sum-product (flooding schedule, tanh rule, stops at a zero syndrome):",
                    "bit and frame error rates and mean iterations over --frames frames (the all-zero codeword;",
                    "for a linear code and a symmetric channel its error rates are those of any codeword).",
                    "",
            },
            footerHeading = "%nWith --json: one JSON object. Keys:%n",
            footer = {
                    "  code, n, m, snrDb, frames   what ran",
                    "  ber, fer        bit and frame error rates",
                    "  bitErrors, frameErrors, detectedFailures   counts (detected: nonzero syndrome at the end)",
                    "  meanIterations  decoder iterations per frame (BP engines: message updates / factor graph edges)",
                    "  algo            the decoder: flooding or the BP engine",
                    "",
                    "Example: scaleml ldpc --code ../shared/data/ldpc/MACKAY_504_1008.alist --snr-db 2 --frames 200 "
                            + "--json%n",
            })
    static final class Ldpc implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--code", paramLabel = "FILE", required = true, description = "a MacKay alist file")
        Path code;

        @Option(names = "--snr-db", paramLabel = "X", defaultValue = "2",
                description = "Eb/N0 in dB, -100 to 100 (default: 2)")
        double snrDb;

        @Option(names = "--frames", paramLabel = "N", defaultValue = "100", description = "frames (default: 100)")
        int frames;

        @Option(names = "--max-iterations", paramLabel = "I", defaultValue = "50",
                description = "decoder iterations per frame at most (default: 50)")
        int maxIterations;

        @Option(names = "--algo", paramLabel = "ALGO", defaultValue = "flooding",
                description = "flooding (the specialized LDPC decoder, tanh rule; default), or a BP engine on the "
                        + "code's factor graph: sync, residual, splash, relaxed-residual, smq-residual")
        String algo;

        @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
                description = "worker threads of the parallel BP engines (default: ${DEFAULT-VALUE})")
        int threads;

        @Option(names = "--seed", defaultValue = "42", description = "noise seed (default: 42)")
        long seed;

        @Option(names = "--json", description = "print one JSON object (keys below)")
        boolean json;

        @Override
        public Integer call() throws IOException {
            BpEngine engine = null;
            if (!algo.equalsIgnoreCase("flooding")) {
                try {
                    engine = BpEngines.create(algo);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--algo: flooding or " + e.getMessage());
                }
                Flags.threads(spec, threads);
            }
            Flags.finite(spec, "--snr-db", snrDb, -100, 100);
            Flags.atLeast(spec, "--frames", frames, 1, 100_000_000);
            Flags.atLeast(spec, "--max-iterations", maxIterations, 1, 100_000);
            Flags.inputFile(spec, "--code", code, "code file");
            ParityCheckCode c = AlistReader.read(code);
            LdpcSimulation.Result r = engine == null ? new LdpcSimulation(c, maxIterations).run(snrDb, frames, seed)
                    : withEngine(engine, c, snrDb, frames, seed, threads, maxIterations);
            PrintWriter pw = spec.commandLine().getOut();
            if (json) {
                pw.println(Json.object(w -> {
                    w.name("code").value(String.valueOf(code));
                    w.name("algo").value(algo);
                    w.name("n").value(c.n());
                    w.name("m").value(c.m());
                    w.name("snrDb").value(snrDb);
                    w.name("frames").value(frames);
                    w.name("ber").value(r.ber());
                    w.name("fer").value(r.fer());
                    w.name("bitErrors").value(r.bitErrors());
                    w.name("frameErrors").value(r.frameErrors());
                    w.name("detectedFailures").value(r.detectedFailures());
                    w.name("meanIterations").value(r.meanIterations());
                }));
            } else {
                pw.println(code + ": " + r);
            }
            pw.flush();
            return 0;
        }
    }

    /**
     * The simulation of {@link LdpcSimulation} with a generic BP engine on each frame's factor graph: hard
     * decisions from the marginals; a frame fails when they are not the sent (all-zero) codeword, and the failure
     * is detected when they are no codeword at all or the run did not converge. "Iterations" are message updates
     * divided by the factor graph's edges (channel and parity), i.e. flooding-round equivalents; the update cap is
     * {@code maxIterations} such rounds. Frame f's noise is seeded with {@code seed + f}.
     */
    static LdpcSimulation.Result withEngine(BpEngine engine, ParityCheckCode c, double snrDb, int frames, long seed,
                                            int threads, int maxIterations) {
        long bitErrors = 0;
        int frameErrors = 0;
        int detected = 0;
        double iterations = 0;
        int[] zeros = new int[c.n()];
        int[] hard = new int[c.n()];
        for (int f = 0; f < frames; f++) {
            org.scaleml.bp.ldpc.AwgnChannel ch = org.scaleml.bp.ldpc.AwgnChannel.ofEbN0Db(snrDb, c.designRate(),
                    seed + f);
            FactorGraph g = org.scaleml.bp.ldpc.LdpcFactorGraph.build(c, ch.transmitLlr(zeros));
            long cap = (long) maxIterations * g.edges(); // a flooding round updates every factor-to-variable message
            BpResult r = engine.run(g, BpOptions.defaults().withThreads(threads).withSeed(seed + f)
                    .withMaxUpdates(Math.max(1, cap)));
            int errors = 0;
            for (int v = 0; v < c.n(); v++) {
                hard[v] = r.marginals()[v][1] > 0.5 ? 1 : 0;
                errors += hard[v];
            }
            bitErrors += errors;
            if (errors > 0) {
                frameErrors++;
                if (!c.isCodeword(hard) || !r.converged()) {
                    detected++;
                }
            }
            iterations += (double) r.updates() / g.edges();
        }
        return new LdpcSimulation.Result(snrDb, frames, bitErrors, frameErrors, detected, iterations / frames,
                (long) frames * c.n());
    }

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
    static final class Denoise implements Callable<Integer> {
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

        @picocli.CommandLine.Mixin
        RunOptions run = new RunOptions();

        @Option(names = "--json", description = "print one JSON object: the run keys of 'scaleml bp' plus width, "
                + "height, noisyWrong and denoisedWrong (pixels differing from the clean input when --noise > 0)")
        boolean json;

        @Override
        public Integer call() throws IOException {
            BpEngine engine = run.engine(spec);
            run.options(spec, FactorGraph.builder().build()); // validate the flags before reading anything
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
            BinaryImage noisy = noise > 0 ? clean.withFlipNoise(noise, run.seed) : clean;
            if (noisyOut != null) {
                noisy.writePng(noisyOut);
            }
            double h = evidence != null ? evidence : noise > 0 ? DenoiseModel.evidenceStrength(noise) : 1.0;
            DenoiseModel m = DenoiseModel.build(noisy, coupling, h);
            BpResult r = engine.run(m.graph(), run.options(spec, m.graph()));
            BinaryImage result = m.toImage(r.marginals());
            result.writePng(out);
            PrintWriter pw = spec.commandLine().getOut();
            if (json) {
                pw.println(Json.object(w -> {
                    writeRun(w, r, run.threads, m.graph());
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
}
