package org.scaleml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.bp.BpOptions;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.engine.BpEngines;
import org.scaleml.cli.bench.BpBench;
import org.scaleml.cli.report.BpReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scaleml bench bp}: several belief-propagation engines side by side on one model. */
@Command(name = "bp",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Runs several belief-propagation engines side by side in one JVM on one model (a UAI file or a",
                "generated model, as 'scaleml bp' reads them), all with the same --threads, --epsilon,",
                "--max-updates, --damping and --seed, and compares each with exact residual BP (the engine",
                "'residual', which always runs). Engines run in rounds, one run each per round, residual first",
                "(the same noise and JIT state for all): --warmups untimed rounds, then --repeats timed rounds",
                "(the BP run only, model loading excluded); medians are reported. Every timed run's marginals",
                "are compared with those of the residual run of the same round.",
                "",
                "Exit code 1 if a timed run of some engine did not converge (every figure is printed first).",
                "",
        },
        footerHeading = "%nGenerated models (--model gen:KIND:key=value,...):%n",
        footer = {
                BpModelOptions.GENERATED_HELP,
                "",
                "With --json: one JSON object per line per engine, residual first, printed when all runs are done.",
                "Keys:",
                "  model           the --model file or generated-model specification",
                "  engine          the engine's name",
                "  threads         --threads (the residual engine runs on one thread whatever it says)",
                "  variables, factors   the model's size",
                "  medianMillis    median wall time of the timed runs, ms",
                "  runsMillis      every timed run, ms, in run order",
                "  updates         median factor-to-variable message updates",
                "  updatesVsResidual   updates / residual's updates",
                "  speedupVsResidual   residual's medianMillis / this medianMillis",
                "  converged       every timed run converged (every message residual <= --epsilon)",
                "  maxResidual     the largest message residual at the end of a timed run",
                "  maxMarginalDiff the largest absolute difference of a marginal entry from residual's marginals",
                "                  of the same round, over the timed runs (0 for residual itself)",
                "  engines         the engines the last timed run used (auto names its stages)",
                "  staleTasks, requeues, priorityInversions, rounds   (relaxed engines) medians of the",
                "                  counters of 'scaleml bp --help'",
                "  (a figure that is not finite is null)",
                "Without --json, an aligned table with the same figures.",
                "",
                "Examples:",
                "  scaleml bench bp --model gen:ising:rows=100,cols=100 --threads 2 --json",
                "  scaleml bench bp --model ../shared/data/uai/Grids_11.uai --engines relaxed-residual,smq-residual%n",
        })
final class BenchBpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BpModelOptions input = new BpModelOptions();

    @Option(names = "--engines", paramLabel = "LIST", split = ",",
            description = "engines to run, comma-separated, from: ${COMPLETION-CANDIDATES} (default: all; residual "
                    + "always runs)",
            completionCandidates = EngineNames.class)
    List<String> engines;

    @Mixin
    BpSettingsOptions settings = new BpSettingsOptions();

    @Option(names = "--warmups", paramLabel = "W", defaultValue = "1",
            description = "untimed rounds before the timed ones, 0 to 1000 (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
            description = "timed rounds, 1 to 1000 (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--json", description = "print one JSON object per line per engine (keys below)")
    boolean json;

    /** The engine names for the help text: always the library's current list. */
    static final class EngineNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        EngineNames() {
            super(BpEngines.names());
        }
    }

    @Override
    public Integer call() throws IOException {
        Flags.atLeast(spec, "--warmups", warmups, 0, 1000);
        Flags.atLeast(spec, "--repeats", repeats, 1, 1000);
        List<String> names = engines == null ? BpEngines.names() : engines;
        settings(settings.options(spec, FactorGraph.builder().build()), names); // fail before loading
        input.checkFiles(spec);

        FactorGraph g;
        long start = System.nanoTime();
        try (TerminalProgress progress = TerminalProgress.open("bench bp", 1)) {
            progress.phase(input.model, "loading");
            g = input.load(spec);
            progress.done();
        }
        double loadMillis = (System.nanoTime() - start) / 1e6;
        BpBench.Settings s = settings(settings.options(spec, g), names);
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "bench bp: %s (%,d variables, %,d factors, loaded in %.0f ms), %d thread(s), "
                            + "median of %d run(s)%n", input.model, g.variables(), g.factors(), loadMillis,
                    s.options().threads(), s.repeats());
            out.flush();
        }
        List<BpBench.Result> results;
        try (TerminalProgress progress = TerminalProgress.open("bench bp", s.steps())) {
            results = BpBench.run(g, s, progress);
        }
        if (json) {
            for (BpBench.Result r : results) {
                out.println(BpReport.benchJsonLine(r, input.model, g));
            }
        } else {
            out.println();
            out.print(BpReport.benchTable(results));
        }
        out.flush();
        List<String> unconverged = new ArrayList<>();
        for (BpBench.Result r : results) {
            if (!r.converged()) {
                unconverged.add(r.engine());
            }
        }
        if (!unconverged.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": did not converge within --max-updates in every run: "
                    + String.join(", ", unconverged));
            err.flush();
            return ScaleMl.EXIT_FAILURE;
        }
        return 0;
    }

    private BpBench.Settings settings(BpOptions options, List<String> names) {
        try {
            return new BpBench.Settings(names, options, warmups, repeats);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--engines: " + ScaleMl.oneLine(e.getMessage()));
        }
    }
}
