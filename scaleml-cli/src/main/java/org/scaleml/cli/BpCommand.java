package org.scaleml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.bp.BpEngine;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.io.MarWriter;
import org.scaleml.cli.report.BpReport;
import org.scaleml.cli.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scaleml bp}: marginals of a UAI model or a generated one. */
@Command(name = "bp",
        header = "Belief propagation on a UAI model or a generated one: the marginals of every variable.",
        mixinStandardHelpOptions = true, versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Belief propagation on a UAI model (MARKOV or BAYES, plain or .gz) or a generated model",
                "(Ising and Potts grids, random trees; see below) with optional evidence: marginals of every",
                "variable, written in the UAI MAR format with --out.",
                "",
        },
        footerHeading = "%nGenerated models (--model gen:KIND:key=value,...):%n",
        footer = {
                BpModelOptions.GENERATED_HELP,
                "",
                "With --json: one JSON object. Keys:",
                "  algo, threads, variables, factors   what ran on what",
                "  updates         factor-to-variable message updates",
                "  millis          wall time of the BP run (loading excluded)",
                "  converged       every message residual <= epsilon when the run stopped",
                "  maxResidual     the largest message residual at the end",
                "  engines         the engines that ran, e.g. [\"sync\", \"relaxed-splash\"] for auto",
                "  staleTasks, requeues, priorityInversions, rounds   (relaxed engines) tasks found superseded or",
                "                  already converged; pushes of an edge or factor already queued (its residual",
                "                  doubled); applied tasks whose residual had grown past twice their queued",
                "                  priority; scheduler runs, each followed by an exact sweep",
                "",
                "Examples:",
                "  scaleml bp --model ../shared/data/uai/Grids_11.uai --algo relaxed-residual --threads 2 --json",
                "  scaleml bp --model gen:ising:rows=100,cols=100,seed=7 --threads 2 --json%n",
        })
final class BpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BpModelOptions input = new BpModelOptions();

    @Option(names = "--out", paramLabel = "FILE", description = "write the marginals here (UAI MAR format)")
    Path out;

    @Mixin
    BpRunOptions run = new BpRunOptions();

    @Option(names = "--json", description = "print one JSON object (keys below)")
    boolean json;

    @Override
    public Integer call() throws IOException {
        BpEngine engine = run.engine(spec);
        run.settings.options(spec, FactorGraph.builder().build()); // validate the flags before reading anything
        input.checkFiles(spec);
        Flags.outputFile(spec, "--out", out);
        FactorGraph g = input.load(spec);
        BpResult r = engine.run(g, run.settings.options(spec, g));
        if (out != null) {
            MarWriter.write(out, r.marginals());
        }
        FactorGraph graph = g;
        PrintWriter pw = spec.commandLine().getOut();
        if (json) {
            pw.println(Json.object(w -> BpReport.writeRun(w, r, run.settings.threads, graph)));
        } else {
            pw.printf(Locale.ROOT, "%s on %s (%d variables, %d factors), %d thread(s): %s after %,d updates in "
                            + "%.1f ms, max residual %.2e%s%n", r.engine(), input.model, graph.variables(),
                    graph.factors(), run.settings.threads, r.converged() ? "converged" : "NOT converged", r.updates(),
                    r.millis(), r.maxResidual(), out != null ? "; marginals in " + out : "");
        }
        pw.flush();
        return r.converged() ? 0 : ScaleMl.EXIT_FAILURE;
    }
}
