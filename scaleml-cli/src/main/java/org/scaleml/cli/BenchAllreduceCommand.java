package org.scaleml.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.scaleml.cli.bench.AllreduceBench;
import org.scaleml.cli.launch.JobEnvironment;
import org.scaleml.cli.launch.Launcher;
import org.scaleml.cli.report.Json;
import org.scaleml.comm.codec.Codecs;
import org.scaleml.comm.collective.Allreduce;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.comm.transport.InProcessNetwork;
import org.scaleml.comm.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scaleml bench allreduce}: allreduce of N ranks, plain or compressed, in one JVM or over TCP. */
@Command(name = "allreduce",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Times an allreduce (sum) of --size floats over --world ranks: plain float32 (ring or recursive",
                "doubling, by --algorithm) or compressed in the CGX way with any codec (compressed reduce-scatter,",
                "owners decode-add and re-compress, allgather of compressed chunks). Each rank's input is Gaussian",
                "(seed + rank); the result is checked against the exact sum.",
                "",
                "Transports: inproc runs the ranks as threads of this JVM (optionally on a simulated link of",
                "--link-gbps); tcp runs them as separate JVMs over authenticated TCP on loopback: started here",
                "(as 'scaleml launch' would) unless this process already is a rank of a launched job, e.g. under",
                "scripts/netns-job.sh for a rate-limited network.",
                "",
                "A round: copy the input, barrier, one allreduce; its time is the slowest rank's. --warmups untimed",
                "rounds, then the median of --repeats rounds.",
                "",
        },
        footerHeading = "%nWith --json: one JSON object (printed by rank 0). Keys:%n",
        footer = {
                "  world, elements, codec, algorithm, transport   what ran",
                "  millis          median round time (slowest rank), ms; runsMillis: every timed round",
                "  bytesSentPerRank   payload bytes one rank sent in one round (mean over ranks)",
                "  busGBps         2 (world-1)/world * 4 * elements bytes per median time, GB/s: the load on each",
                "                  rank's link of an uncompressed ring allreduce, comparable with p2pGBps",
                "  algGBps         4 * elements bytes per median time, GB/s",
                "  relError        ||result - exact sum|| / ||exact sum||",
                "  p2pGBps         with --p2p: one-way bandwidth rank 0 -> rank 1 on the same transport",
                "",
                "Example: scaleml bench allreduce --world 4 --size 16M --codec qsgd:bits=4 --transport tcp --json%n",
        })
final class BenchAllreduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--world", paramLabel = "N", defaultValue = "4",
            description = "number of ranks, 1 to 64 (default: ${DEFAULT-VALUE}); under a launched job, its world")
    int world;

    @Option(names = "--size", paramLabel = "N", defaultValue = "16M",
            description = "floats per rank; K, M suffixes are powers of 1024 (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--codec", paramLabel = "SPEC", defaultValue = "none",
            description = "none, or a codec specification (see 'scaleml bench codec --help'), e.g. qsgd:bits=4, "
                    + "topk:ratio=0.01, ef:topk:ratio=0.01 (default: ${DEFAULT-VALUE})")
    String codec;

    @Option(names = "--algorithm", paramLabel = "ALGO", defaultValue = "auto",
            description = "plain allreduce: ring, rd (recursive doubling) or auto (by size; default)")
    String algorithm;

    @Mixin
    TransportOptions transportOptions = new TransportOptions();

    @Option(names = "--warmups", paramLabel = "W", defaultValue = "2",
            description = "untimed rounds (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "5",
            description = "timed rounds (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--p2p", description = "also measure the one-way point-to-point bandwidth rank 0 -> 1")
    boolean p2p;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the inputs and codecs (default: 42)")
    long seed;

    @Option(names = "--json", description = "print one JSON object (keys below)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Flags.atLeast(spec, "--repeats", repeats, 1, 1000);
        Flags.atLeast(spec, "--warmups", warmups, 0, 1000);
        long n = Flags.count(spec, "--size", size, 0, 1L << 27);
        Allreduce.Algorithm algo;
        switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "ring":
                algo = Allreduce.Algorithm.RING;
                break;
            case "rd":
            case "recursive-doubling":
                algo = Allreduce.Algorithm.RECURSIVE_DOUBLING;
                break;
            case "auto":
                algo = Allreduce.Algorithm.AUTO;
                break;
            default:
                throw new ParameterException(spec.commandLine(), "--algorithm must be ring, rd or auto, got '"
                        + algorithm + "'");
        }
        if (!codec.equalsIgnoreCase("none")) {
            try {
                Codecs.create(codec, seed);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--codec: " + e.getMessage());
            }
        }
        String t = transportOptions.validated(spec);
        AllreduceBench.Settings s = new AllreduceBench.Settings((int) n, codec, algo, warmups, repeats, seed, p2p, t);
        PrintWriter out = spec.commandLine().getOut();
        AllreduceBench.Result result;
        if (t.equals("inproc")) {
            Flags.atLeast(spec, "--world", world, 1, 64);
            result = inProcess(s);
        } else if (JobEnvironment.present(System.getenv())) {
            JobEnvironment job = JobEnvironment.from(System.getenv());
            try (Transport tr = job.connect(transportOptions.tcpConfig(spec))) {
                result = AllreduceBench.run(new Communicator(tr), s);
            }
            if (result == null) {
                return 0; // only rank 0 reports
            }
        } else {
            Flags.atLeast(spec, "--world", world, 1, 64);
            // Not a rank yet: start the job, each worker running this very command as one rank.
            List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
            if (args.size() < 2 || !args.get(0).equals("bench") || !args.get(1).equals("allreduce")) {
                args.add(0, "allreduce");
                args.add(0, "bench");
            }
            out.flush();
            return new Launcher(world, "127.0.0.1", args, Map.of()).run(System.out, System.err);
        }
        out.println(json ? jsonLine(result) : text(result));
        out.flush();
        return 0;
    }

    private AllreduceBench.Result inProcess(AllreduceBench.Settings s) throws InterruptedException {
        double bytesPerSecond = transportOptions.bytesPerSecond();
        InProcessNetwork net = new InProcessNetwork(world, bytesPerSecond, 0, InProcessNetwork.DEFAULT_TIMEOUT_NANOS
                * 6, InProcessNetwork.DEFAULT_MAX_FRAME);
        ExecutorService pool = Executors.newFixedThreadPool(world, r -> {
            Thread th = new Thread(r, "scaleml-rank");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<AllreduceBench.Result>> fs = new ArrayList<>();
            for (int r = 0; r < world; r++) {
                Transport tr = net.endpoint(r);
                fs.add(pool.submit(() -> AllreduceBench.run(new Communicator(tr), s)));
            }
            AllreduceBench.Result res = null;
            for (Future<AllreduceBench.Result> f : fs) {
                AllreduceBench.Result x = f.get();
                if (x != null) {
                    res = x;
                }
            }
            return res;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException ? (RuntimeException) c : new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    static String jsonLine(AllreduceBench.Result r) {
        return Json.object(w -> {
            w.name("world").value(r.world());
            w.name("elements").value(r.elements());
            w.name("codec").value(r.codec());
            w.name("algorithm").value(r.algorithm());
            w.name("transport").value(r.transport());
            w.name("millis").value(round3(r.millis()));
            w.name("runsMillis").beginArray();
            for (double v : r.runsMillis()) {
                w.value(round3(v));
            }
            w.endArray();
            w.name("bytesSentPerRank").value(r.bytesSentPerRank());
            w.name("busGBps").value(round3(r.busGBps()));
            w.name("algGBps").value(round3(4.0 * r.elements() / (r.millis() / 1e3) / 1e9));
            w.name("relError").value(r.relError());
            if (Double.isNaN(r.p2pGBps())) {
                w.name("p2pGBps").nullValue();
            } else {
                w.name("p2pGBps").value(round3(r.p2pGBps()));
            }
        });
    }

    private static double round3(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }

    static String text(AllreduceBench.Result r) {
        return String.format(Locale.ROOT, "allreduce of %,d floats on %d ranks (%s, %s): median %.2f ms, %,d bytes "
                        + "sent per rank, bus bandwidth %.3f GB/s%s, relative error %.2e",
                r.elements(), r.world(), r.algorithm(), r.transport(), r.millis(), r.bytesSentPerRank(), r.busGBps(),
                Double.isNaN(r.p2pGBps()) ? "" : String.format(Locale.ROOT, " (point-to-point %.3f GB/s)",
                        r.p2pGBps()), r.relError());
    }
}
