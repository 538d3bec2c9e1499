package org.scaleml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.cli.report.Json;
import org.scaleml.comm.codec.Codecs;
import org.scaleml.train.InProcessJob;
import org.scaleml.train.data.Dataset;
import org.scaleml.train.data.Datasets;
import org.scaleml.train.pca.DistributedPca;
import org.scaleml.train.pca.ExactPca;
import org.scaleml.train.pca.PcaSettings;
import org.scaleml.train.pca.Subspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scaleml pca}: distributed PCA with quantized communication, measured against the exact subspace. */
@Command(name = "pca",
        header = "Computes the top-k principal components of a data set split over workers, with quantized "
                + "communication.",
        mixinStandardHelpOptions = true, versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "The rows of --data are split over --workers ranks (threads over the in-process network). Each",
                "iteration every rank multiplies the common iterate by its local covariance, sends the leader",
                "the codec's encoding of the difference to what the leader already reconstructed, and the",
                "leader sums, takes a block power step (or a Riemannian gradient step) with Rayleigh-Ritz,",
                "orthonormalizes and broadcasts the encoded difference of the new iterate (Alimisis et al.,",
                "NeurIPS 2021: quantized messages whose error shrinks as the iterates converge). Every",
                "--codec given runs in turn against the same exact top-k subspace (computed sequentially in",
                "double precision first, unless --no-reference). The fp32 codec is the lossless baseline.",
                "",
        },
        footerHeading = "%nWith --json: one JSON object per codec. Keys:%n",
        footer = {
                "  data, n, d       the data set: name, rows, features",
                "  k, oversample, workers, codec, method, centering, predict   the run",
                "  iterations       iterations done; stop: target, tolerance or max-iterations",
                "  principalAngle   largest principal angle (radians) between the result's span and the exact",
                "                   top-k subspace; null with --no-reference",
                "  bytesSentPerRank payload bytes sent per rank, mean over ranks: the row count and (global",
                "                   centering) column sums sent to the leader once (fp32), the uploads and",
                "                   the broadcast tree",
                "  bytesSentMaxRank the most bytes one rank sent",
                "  variances        top-k Ritz values / n (variance along each component)",
                "  millis           wall time of the distributed run; referenceMillis: of the exact reference",
                "",
                "Examples:",
                "  scaleml pca --data fashion-mnist --k 1 --workers 4 --codec fp32 --codec qsgd:bits=3,bucket=128,"
                        + "norm=max --target-angle 1e-3 --json",
                "  scaleml pca --data ../shared/data/libsvm/a9a --k 10 --oversample 10 --codec fp32 --codec "
                        + "qsgd:bits=4,norm=max%n",
        })
final class PcaCommand implements Callable<Integer> {
    /*
     * Loads the data like 'scaleml train' (the training part of --data), computes the exact reference once
     * (ExactPca), then runs DistributedPca once per codec on the same shards and initial block (same seed), so the
     * rows differ only in the codec. Input problems (data, k, flags) exit 2 with one line naming the flag.
     */

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "NAME|PATH", defaultValue = "fashion-mnist",
            description = "fashion-mnist or mnist (looked up in /usr/share/datasets/NAME and ../shared/data/NAME), a "
                    + "directory of IDX files, or a LIBSVM or CSV file; its training part is used "
                    + "(default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--k", paramLabel = "K", defaultValue = "1",
            description = "principal components, 1 to the number of features (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--workers", paramLabel = "W", defaultValue = "4",
            description = "ranks the rows are split over, 1 to 1024 (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--codec", paramLabel = "SPEC",
            description = "codec of every message, repeatable: one run each (default: " + PcaSettings.DEFAULT_CODEC
                    + "; fp32 is lossless; see 'scaleml bench codec --help')")
    List<String> codecs;

    @Option(names = "--oversample", paramLabel = "P", defaultValue = "0",
            description = "extra columns iterated with the k (block k + P; helps when lambda_k+1 is close to "
                    + "lambda_k) (default: ${DEFAULT-VALUE})")
    int oversample;

    @Option(names = "--method", paramLabel = "M", defaultValue = "power",
            description = "power (block power iteration, Rayleigh-Ritz) or riemannian (gradient ascent on the "
                    + "sphere / Stiefel manifold with QR retraction) (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--step", paramLabel = "S", defaultValue = "1",
            description = "riemannian step as a fraction of 1/rho (rho: top Rayleigh quotient), in (0, 1]; 1 is "
                    + "the power step for k = 1 (default: ${DEFAULT-VALUE})")
    double step;

    @Option(names = "--max-iters", paramLabel = "N", defaultValue = "500",
            description = "iterations at most (default: ${DEFAULT-VALUE})")
    int maxIters;

    @Option(names = "--tolerance", paramLabel = "T", defaultValue = "1e-6",
            description = "stop when consecutive top-k subspaces differ by at most T radians, 0 never "
                    + "(default: ${DEFAULT-VALUE})")
    double tolerance;

    @Option(names = "--target-angle", paramLabel = "A", defaultValue = "0",
            description = "stop when the principal angle to the exact subspace is at most A radians, so that "
                    + "bytesSentPerRank is the bytes to reach A; 0 off (default: ${DEFAULT-VALUE})")
    double targetAngle;

    @Option(names = "--no-reference", description = "skip the exact reference (principalAngle is then null)")
    boolean noReference;

    @Option(names = "--centering", paramLabel = "C", defaultValue = "global",
            description = "global (the covariance: each worker sends its column sums once, fp32), local (each shard "
                    + "by its own mean, no sums sent, a small bias: the between-shard scatter is left out) or none "
                    + "(uncentered second moments) (default: ${DEFAULT-VALUE})")
    String centering;

    @Option(names = "--no-predict", description = "encode plain differences to the last reconstruction, without "
            + "the geometric extrapolation of each message")
    boolean noPredict;

    @Option(names = "--seed", defaultValue = "42",
            description = "seed of the sharding, the initial block and the codecs (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--trace", description = "print one line per iteration to standard error: iteration, the "
            + "change of the top-k subspace and the angle to the exact one (radians)")
    boolean trace;

    @Option(names = "--json", description = "print one JSON object per codec (keys below)")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        List<String> specs = Flags.specs(spec, "--codec", codecs, List.of(PcaSettings.DEFAULT_CODEC),
                s -> Codecs.create(s, 0));
        if (k < 1) {
            throw fail("--k must be at least 1, got " + k);
        }
        Flags.atLeast(spec, "--workers", workers, 1, Flags.MAX_THREADS);
        Flags.atLeast(spec, "--oversample", oversample, 0, 100_000);
        Flags.atLeast(spec, "--max-iters", maxIters, 1, 10_000_000);
        Flags.finite(spec, "--tolerance", tolerance, 0, 1);
        Flags.finite(spec, "--target-angle", targetAngle, 0, 1);
        PcaSettings.Centering ctr = switch (centering.toLowerCase(Locale.ROOT)) {
            case "global" -> PcaSettings.Centering.GLOBAL;
            case "local" -> PcaSettings.Centering.LOCAL;
            case "none" -> PcaSettings.Centering.NONE;
            default -> throw fail("--centering must be global, local or none, got '" + centering + "'");
        };
        PcaSettings.Method m = switch (method.toLowerCase(Locale.ROOT)) {
            case "power" -> PcaSettings.Method.POWER;
            case "riemannian" -> PcaSettings.Method.RIEMANNIAN;
            default -> throw fail("--method must be power or riemannian, got '" + method + "'");
        };
        if (!(step > 0 && step <= 1)) {
            throw fail("--step must be in (0, 1], got " + step);
        }
        if (noReference && targetAngle > 0) {
            throw fail("--target-angle needs the exact reference; drop --no-reference");
        }
        Dataset train = load();
        int d = train.features();
        if (k > d) {
            throw fail("--k " + k + " exceeds the " + d + " features of " + data);
        }
        if (k + oversample > d) {
            throw fail("--k + --oversample = " + (k + oversample) + " exceeds the " + d + " features of " + data);
        }
        if (workers > train.size()) {
            throw fail("--workers " + workers + " exceeds the " + train.size() + " rows of " + data);
        }
        if (d > ExactPca.MAX_DIM && !noReference) {
            throw fail("--data " + data + " has " + d + " features; the exact reference supports at most "
                    + ExactPca.MAX_DIM + " (use --no-reference)");
        }
        long r0 = System.nanoTime();
        Subspace reference = noReference ? null : ExactPca.topK(train, k,
                ctr != PcaSettings.Centering.NONE).subspace();
        double referenceMillis = noReference ? Double.NaN : (System.nanoTime() - r0) / 1e6;

        PrintWriter out = spec.commandLine().getOut();
        List<String[]> table = new ArrayList<>();
        double baseline = Double.NaN;
        String baselineCodec = null;
        for (String codec : specs) {
            PcaSettings s = new PcaSettings(k, oversample, codec, m, step, maxIters, tolerance, targetAngle,
                    reference, ctr, !noPredict, seed);
            DistributedPca.Report r;
            try (TerminalProgress bar = TerminalProgress.open("pca " + codec, maxIters)) {
                PrintWriter err = spec.commandLine().getErr();
                r = DistributedPca.runInProcess(s, train, workers, (it, change, angle) -> {
                    bar.done();
                    if (trace) {
                        err.printf(Locale.ROOT, "pca %s: iteration %d change %.3e angle %.3e%n", codec, it, change,
                                angle);
                        err.flush();
                    }
                });
            } catch (InProcessJob.TrainingFailedException e) {
                throw new IllegalStateException(e.getMessage(), e.getCause());
            }
            DistributedPca.RankResult lr = r.leader();
            if (json) {
                out.println(Json.object(w -> {
                    w.name("data").value(data);
                    w.name("n").value(train.size());
                    w.name("d").value(d);
                    w.name("k").value(k);
                    w.name("oversample").value(oversample);
                    w.name("workers").value(workers);
                    w.name("codec").value(codec);
                    w.name("method").value(m.flag());
                    w.name("centering").value(ctr.flag());
                    w.name("predict").value(!noPredict);
                    w.name("iterations").value(lr.iterations());
                    w.name("stop").value(lr.stop().flag());
                    w.name("principalAngle");
                    if (Double.isNaN(lr.principalAngle())) {
                        w.nullValue();
                    } else {
                        w.value(lr.principalAngle());
                    }
                    w.name("targetAngle").value(targetAngle);
                    w.name("bytesSentPerRank").value(r.meanBytesSent());
                    w.name("bytesSentMaxRank").value(r.maxBytesSent());
                    w.name("variances").beginArray();
                    for (double v : lr.variances()) {
                        w.value(v);
                    }
                    w.endArray();
                    w.name("millis").value(Math.round(r.millis() * 1000) / 1000.0);
                    w.name("referenceMillis");
                    if (Double.isNaN(referenceMillis)) {
                        w.nullValue();
                    } else {
                        w.value(Math.round(referenceMillis * 1000) / 1000.0);
                    }
                }));
                out.flush();
            } else {
                if (baselineCodec == null || codec.equals("fp32") && !baselineCodec.equals("fp32")) {
                    baselineCodec = codec;
                    baseline = r.meanBytesSent();
                }
                table.add(new String[] {codec, Integer.toString(lr.iterations()), lr.stop().flag(),
                    Double.isNaN(lr.principalAngle()) ? "-" : String.format(Locale.ROOT, "%.3g", lr.principalAngle()),
                    String.format(Locale.ROOT, "%.0f", r.meanBytesSent()), null,
                    String.format(Locale.ROOT, "%.0f", r.millis())});
            }
        }
        if (!json) {
            out.printf(Locale.ROOT, "pca: %s, n = %d, d = %d, k = %d%s, %d workers%s%n", data, train.size(), d, k,
                    oversample > 0 ? " (+" + oversample + " oversampled)" : "", workers,
                    noReference ? "" : String.format(Locale.ROOT, ", exact reference in %.0f ms", referenceMillis));
            out.printf(Locale.ROOT, "%-36s %6s %-15s %10s %14s %9s %9s%n", "codec", "iters", "stop", "angle",
                    "bytes/rank", "vs " + (baselineCodec.length() > 6 ? "first" : baselineCodec), "millis");
            for (String[] row : table) {
                double bytes = Double.parseDouble(row[4]);
                row[5] = String.format(Locale.ROOT, "%.2fx", baseline / bytes);
                out.printf(Locale.ROOT, "%-36s %6s %-15s %10s %14s %9s %9s%n", (Object[]) row);
            }
            out.flush();
        }
        return 0;
    }

    private Dataset load() {
        try {
            return Datasets.load(data).train();
        } catch (UncheckedIOException e) {
            throw fail("--data " + data + ": " + ScaleMl.oneLine(e.getCause().getMessage()));
        } catch (IOException | IllegalArgumentException e) {
            throw fail("--data " + data + ": " + ScaleMl.oneLine(e.getMessage()));
        }
    }

    private ParameterException fail(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
