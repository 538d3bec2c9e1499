package org.scaleml.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.io.EvidenceReader;
import org.scaleml.bp.io.UaiReader;
import org.scaleml.cli.bp.GeneratedModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The model options of {@code bp} and {@code bench bp} (a picocli mixin): a UAI model file or a generated model,
 * and optional evidence, with the checks that turn them into a loaded factor graph.
 */
final class BpModelOptions {
    /**
     * The generated models, one per line ({@code %n}-separated, a picocli footer entry), for the help of the commands
     * that take --model.
     */
    static final String GENERATED_HELP = ""
            + "  gen:ising:rows=R,cols=C[,c=C][,seed=S]   Ising grid, couplings and fields uniform in%n"
            + "                  [-c/2, c/2): the frustrated grids of the relaxed-BP benchmarks%n"
            + "  gen:potts:rows=R,cols=C[,q=Q][,c=C][,seed=S]   Potts grid with Q states (default 3),%n"
            + "                  couplings and fields uniform in [-c/2, c/2)%n"
            + "  gen:tree:n=N[,card=K][,strength=X][,seed=S]   random tree of N variables with 2..K%n"
            + "                  states (default 3), table entries exp(u X), u uniform in [-1, 1) (X default%n"
            + "                  1); BP is exact on it%n"
            + "  c defaults to 2, seed to 1. Variables are numbered row-major on the grids; --evid applies by%n"
            + "  variable index.";

    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "a UAI model file (MARKOV or BAYES, plain or .gz), or a generated model (kinds and keys "
                    + "below): gen:ising:rows=R,cols=C, gen:potts:rows=R,cols=C or gen:tree:n=N")
    String model;

    @Option(names = "--evid", paramLabel = "FILE",
            description = "a UAI evidence file (.evid); with a generated model it applies by variable index")
    Path evid;

    /** True if --model names a generated model. */
    boolean generated() {
        return GeneratedModel.isGenerated(model);
    }

    /**
     * Checks that the files named exist and are readable, before anything is read.
     *
     * @throws ParameterException (exit 2) naming the flag and the file
     */
    void checkFiles(CommandSpec spec) {
        if (!generated()) {
            Flags.inputFile(spec, "--model", Path.of(model), "model file");
        }
        if (evid != null) {
            Flags.inputFile(spec, "--evid", evid, "evidence file");
        }
    }

    /**
     * Reads or generates the model and applies the evidence.
     *
     * @throws ParameterException       (exit 2) for a malformed generated-model specification, naming --model and
     *                                  the key
     * @throws IllegalArgumentException (exit 2) for a malformed model or evidence file, naming the file and line
     * @throws IOException              on other I/O failures
     */
    FactorGraph load(CommandSpec spec) throws IOException {
        FactorGraph g;
        if (generated()) {
            try {
                g = GeneratedModel.generate(model);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--model " + ScaleMl.oneLine(e.getMessage()));
            }
        } else {
            g = UaiReader.read(Path.of(model));
        }
        if (evid != null) {
            EvidenceReader.Evidence e = EvidenceReader.read(evid, g);
            g = g.withEvidence(e.vars(), e.values());
        }
        return g;
    }
}
