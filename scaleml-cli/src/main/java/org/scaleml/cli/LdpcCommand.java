package org.scaleml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.scaleml.bp.BpEngine;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.engine.BpEngines;
import org.scaleml.bp.ldpc.AlistReader;
import org.scaleml.bp.ldpc.LdpcSimulation;
import org.scaleml.bp.ldpc.ParityCheckCode;
import org.scaleml.cli.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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
                "  millis          wall time of all frames (noise, decoding and counting)",
                "",
                "Example: scaleml ldpc --code ../shared/data/ldpc/MACKAY_504_1008.alist --snr-db 2 --frames 200 "
                        + "--json%n",
        })
final class LdpcCommand implements Callable<Integer> {
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
        long t0 = System.nanoTime();
        LdpcSimulation.Result r = engine == null ? new LdpcSimulation(c, maxIterations).run(snrDb, frames, seed)
                : withEngine(engine, c, snrDb, frames, seed, threads, maxIterations);
        double millis = (System.nanoTime() - t0) / 1e6;
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
                w.name("millis").value(Math.round(millis * 1000) / 1000.0);
            }));
        } else {
            pw.println(code + ": " + r);
        }
        pw.flush();
        return 0;
    }

    /**
     * The simulation of {@link LdpcSimulation} with a generic BP engine on each frame's factor graph: hard
     * decisions from the marginals; a frame fails when they are not the sent (all-zero) codeword, and the failure
     * is detected when they are no codeword at all or the run did not converge. "Iterations" are message updates
     * divided by the factor graph's edges (channel and parity), i.e. flooding-round equivalents; the update cap is
     * {@code maxIterations} such rounds. Frame f's noise is seeded with {@code seed + f}.
     */
    private static LdpcSimulation.Result withEngine(BpEngine engine, ParityCheckCode c, double snrDb, int frames,
                                                    long seed, int threads, int maxIterations) {
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
}
