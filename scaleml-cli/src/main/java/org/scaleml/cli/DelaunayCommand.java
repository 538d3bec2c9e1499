package org.scaleml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.cli.report.Json;
import org.scaleml.graph.algo.Run;
import org.scaleml.graph.incremental.DelaunayTriangulation;
import org.scaleml.graph.incremental.Triangulation;
import org.scaleml.sched.Scheduler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scaleml delaunay}: Delaunay triangulation of 2-D points by randomized incremental insertion, on the
 * relaxed scheduler or sequentially, optionally verified.
 *
 * <p>Exit codes: 0 on success, 2 on invalid input (options, missing or malformed file, duplicate points), 1 when
 * the run failed or, with {@code --verify}, the result is not the Delaunay triangulation or differs from the
 * sequential one (the result line is printed first, with {@code "verified": false}).
 */
@Command(name = "delaunay",
        header = "Delaunay triangulation of 2-D points by randomized incremental insertion on the relaxed scheduler.",
        mixinStandardHelpOptions = true, versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Delaunay triangulation of 2-D points by randomized incremental insertion (Bowyer-Watson), each",
                "point a task with its position in a random order (--seed) as priority, on any scheduler. A pop",
                "whose point is blocked by an earlier point in its cavity, or meets another insert's triangles,",
                "is wasted and counted; the triangles are always those of the sequential algorithm. Predicates",
                "are exact; cocircular points (grids) are triangulated by a fixed symbolic tie-break.",
                "Example: scaleml delaunay --points 1000000 --scheduler mq --threads 2 --verify --json",
                "",
        },
        footerHeading = "%nWith --json: one JSON object on one line. Keys:%n",
        footer = {
                "  points          number of input points",
                "  input           uniform:N or the points file",
                "  scheduler       the --scheduler as given ('sequential': the plain sequential algorithm)",
                "  queue, seed     its queue with parameters; the seed",
                "  threads         worker threads (1 for sequential)",
                "  millis          wall time of the triangulation in ms (input excluded)",
                "  tasks           tasks executed: points + failed pops",
                "  wastedTasks     failed pops",
                "  blocked, conflicts   failed pops blocked by an earlier point / by another insert's claim",
                "  extraWorkRatio  wastedTasks / points",
                "  created         triangles created during the run",
                "  triangles       triangles of the result (2n - 2 - h for h hull points)",
                "  checksum        fingerprint of the triangle set",
                "  verified        with --verify: empty circumcircles (grid search), consistent edges and",
                "                  count, and equal to the sequential triangulation; null without --verify",
                "  referenceMillis   with --verify: the sequential run's time, ms",
                "  verifyError     with --verify: the first problem found, or null",
                "Points file: one point per line, 'x y' (spaces, tabs or a comma); blank and # lines skipped.",
                "Exit codes: 0 success, 1 run failed or not verified, 2 invalid input.",
        })
final class DelaunayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--points", paramLabel = "N|FILE", required = true,
            description = "N uniform random points in the unit square (K/M suffixes allowed), or a file of 'x y' lines")
    String points;

    @Option(names = "--scheduler", paramLabel = "S", defaultValue = "mq",
            description = "sequential, or a scheduler: exact, mq, mq-tl, smq, obim, heap, skiplist, pbq, or a "
                    + "queue specification such as mq:c=4 (default: ${DEFAULT-VALUE})")
    String scheduler;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
            description = "worker threads, 1 to 1024 (default: ${DEFAULT-VALUE}; 1 for sequential)")
    int threads;

    @Option(names = "--seed", defaultValue = "42",
            description = "seed of the random points, the insertion order and the scheduler (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--verify", description = "check the result (see verified below); exit 1 if it fails")
    boolean verify;

    @Option(names = "--json", description = "print one JSON object (keys below)")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Flags.threads(spec, threads);
        boolean sequential = scheduler.trim().equalsIgnoreCase("sequential");
        Scheduler sched = sequential ? null : GraphOptions.scheduler(spec, "--scheduler", scheduler, threads, seed);
        PointsInput.Points p = PointsInput.load(spec, points, seed);
        PrintWriter out = spec.commandLine().getOut();
        Run<Triangulation> run;
        Double referenceMillis = null;
        String error = null;
        long start;
        double millis;
        try (TerminalProgress progress = TerminalProgress.open("delaunay", verify ? 2 : 1)) {
            progress.phase(sequential ? "sequential" : scheduler, "triangulating");
            start = System.nanoTime();
            run = sequential ? DelaunayTriangulation.sequential(p.x(), p.y(), seed)
                    : DelaunayTriangulation.parallel(p.x(), p.y(), seed, sched);
            millis = (System.nanoTime() - start) / 1e6;
            progress.done();
            if (verify) {
                progress.phase("sequential", "verifying");
                error = DelaunayTriangulation.verify(p.x(), p.y(), run.result());
                if (!sequential) {
                    long t0 = System.nanoTime();
                    Triangulation ref = DelaunayTriangulation.sequential(p.x(), p.y(), seed).result();
                    referenceMillis = (System.nanoTime() - t0) / 1e6;
                    if (error == null && !ref.sameTriangles(run.result())) {
                        error = "differs from the sequential triangulation (" + ref.triangles() + " triangles)";
                    }
                } else {
                    referenceMillis = millis;
                }
                progress.done();
            }
        }
        int n = p.x().length;
        Triangulation t = run.result();
        String verifyError = error;
        Double refMillis = referenceMillis;
        if (json) {
            out.println(Json.object(w -> {
                w.name("points").value(n);
                w.name("input").value(p.source());
                w.name("scheduler").value(sequential ? "sequential" : sched.name());
                w.name("queue").value(sequential ? "sequential" : sched.queueName());
                w.name("threads").value(sequential ? 1 : threads);
                w.name("seed").value(seed);
                w.name("millis").value(Math.round(millis * 1000) / 1000.0);
                w.name("tasks").value(run.stats().tasks());
                w.name("wastedTasks").value(run.stats().wastedTasks());
                w.name("blocked").value(run.counters().get(DelaunayTriangulation.BLOCKED));
                w.name("conflicts").value(run.counters().get(DelaunayTriangulation.CONFLICTS));
                w.name("extraWorkRatio").value(n == 0 ? 0.0 : Math.round(1e6 * run.stats().wastedTasks() / n) / 1e6);
                w.name("created").value(run.counters().get(DelaunayTriangulation.CREATED));
                w.name("triangles").value(t.triangles());
                w.name("checksum").value(t.checksum());
                if (verify) {
                    w.name("verified").value(verifyError == null);
                    w.name("referenceMillis").value(Math.round(refMillis * 1000) / 1000.0);
                    w.name("verifyError").value(verifyError);
                } else {
                    w.name("verified").nullValue();
                }
            }));
        } else {
            out.printf(Locale.ROOT, "delaunay: %,d points (%s), %s, %d thread(s)%n", n, p.source(),
                    sequential ? "sequential" : sched.name() + " (" + sched.queueName() + ")", sequential ? 1 : threads);
            out.printf(Locale.ROOT, "triangles: %,d in %.1f ms%n", t.triangles(), millis);
            out.printf(Locale.ROOT, "tasks: %,d, wasted: %,d (blocked %,d, conflicts %,d; extra work %.4f)%n",
                    run.stats().tasks(), run.stats().wastedTasks(), run.counters().get(DelaunayTriangulation.BLOCKED),
                    run.counters().get(DelaunayTriangulation.CONFLICTS),
                    n == 0 ? 0.0 : (double) run.stats().wastedTasks() / n);
            if (verify) {
                out.println(verifyError == null ? String.format(Locale.ROOT,
                        "verified: Delaunay, and equal to the sequential triangulation (%.1f ms; speedup %.2fx)",
                        refMillis, refMillis / millis) : "NOT verified: " + verifyError);
            }
        }
        out.flush();
        if (verifyError != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": verification failed: " + verifyError);
            err.flush();
            return ScaleMl.EXIT_FAILURE;
        }
        return 0;
    }
}
