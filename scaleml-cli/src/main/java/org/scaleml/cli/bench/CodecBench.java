package org.scaleml.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.scaleml.comm.codec.Codecs;
import org.scaleml.comm.codec.GradientCodec;

/**
 * Measures gradient codecs on one core: encode, decode and decode-accumulate throughput on a Gaussian vector, the
 * wire size against the codec's formula, and the relative error. Used by {@code scaleml bench codec}; free of
 * command-line concerns.
 *
 * <h2>Method</h2>
 * The input is {@code elements} standard Gaussian floats (fixed seed), the shape of a gradient after
 * normalization. Per codec: {@code warmups} untimed rounds of encode, decode and decode-accumulate (so the JIT has
 * compiled all three paths), then {@code repeats} timed rounds, each timing one encode, one decode and one
 * decode-accumulate separately; medians are reported. Throughput is in GB/s of fp32 input
 * ({@code 4 * elements} bytes per call), so codecs compare at equal work. The codec is created once, so stateful
 * encoders (error feedback, warm starts, adapted levels) run as they would in training, one step per round. The
 * relative error is that of the last round: {@code ||decode(encode(v)) - v|| / ||v||}.
 */
public final class CodecBench {
    private CodecBench() {
    }

    /** What to run. */
    public record Settings(List<String> codecs, int elements, int warmups, int repeats, long seed) {
        public Settings {
            codecs = List.copyOf(codecs);
            if (elements < 1 || warmups < 0 || repeats < 1) {
                throw new IllegalArgumentException("elements and repeats must be at least 1, warmups at least 0");
            }
        }
    }

    /**
     * One codec's figures.
     *
     * @param codec                 the canonical specification
     * @param elements              input length
     * @param bytes                 payload size of the last round
     * @param bitsPerElement        measured: {@code 8 * bytes / elements}
     * @param formulaBitsPerElement the codec's formula ({@link GradientCodec#bitsPerElement})
     * @param encodeGBps            median encode throughput, GB/s of fp32 input
     * @param decodeGBps            median decode throughput
     * @param decodeAddGBps         median decode-accumulate throughput
     * @param relError              relative L2 error of the last round
     * @param encodeMillis          median encode time
     * @param decodeMillis          median decode time
     */
    public record Result(String codec, int elements, int bytes, double bitsPerElement, double formulaBitsPerElement,
                         double encodeGBps, double decodeGBps, double decodeAddGBps, double relError,
                         double encodeMillis, double decodeMillis) {
    }

    /** The specifications {@code all} stands for: every registered codec with its example parameters. */
    public static List<String> all() {
        List<String> out = new ArrayList<>();
        for (Codecs.Entry e : Codecs.entries()) {
            out.add(e.example());
        }
        return out;
    }

    /** Gaussian input, fixed by the seed. */
    public static float[] input(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i += 2) {
            double u1 = 1 - r.nextDouble();
            double u2 = r.nextDouble();
            double rad = Math.sqrt(-2 * Math.log(u1));
            v[i] = (float) (rad * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) {
                v[i + 1] = (float) (rad * Math.sin(2 * Math.PI * u2));
            }
        }
        return v;
    }

    /**
     * Measures every codec of the settings.
     *
     * @throws IllegalArgumentException on an invalid codec specification (before anything runs)
     */
    public static List<Result> run(Settings s, PqBench.Progress progress, Consumer<Result> onResult) {
        List<GradientCodec> codecs = new ArrayList<>();
        for (String spec : s.codecs()) {
            codecs.add(Codecs.create(spec, s.seed()));
        }
        final int n = s.elements();
        float[] v = input(n, s.seed());
        float[] out = new float[n];
        float[] acc = new float[n];
        byte[] buf = null;
        List<Result> results = new ArrayList<>();
        for (GradientCodec c : codecs) {
            int cap = c.maxEncodedSize(n);
            if (buf == null || buf.length < cap) {
                buf = new byte[cap];
            }
            double[] enc = new double[s.repeats()];
            double[] dec = new double[s.repeats()];
            double[] add = new double[s.repeats()];
            int len = 0;
            for (int r = -s.warmups(); r < s.repeats(); r++) {
                progress.phase(c.spec(), r < 0 ? "warm-up" : "run " + (r + 1) + "/" + s.repeats());
                long t0 = System.nanoTime();
                len = c.encode(v, 0, n, buf, 0);
                long t1 = System.nanoTime();
                c.decode(buf, 0, len, out, 0, n);
                long t2 = System.nanoTime();
                java.util.Arrays.fill(acc, 0f); // outside the timed call
                long t3 = System.nanoTime();
                c.decodeAdd(buf, 0, len, acc, 0, n);
                long t4 = System.nanoTime();
                if (r >= 0) {
                    enc[r] = (t1 - t0) / 1e6;
                    dec[r] = (t2 - t1) / 1e6;
                    add[r] = (t4 - t3) / 1e6;
                }
                progress.done();
            }
            double em = PqBench.median(enc);
            double dm = PqBench.median(dec);
            double am = PqBench.median(add);
            double gb = 4.0 * n / 1e9;
            Result res = new Result(c.spec(), n, len, 8.0 * len / n, c.bitsPerElement(n), gb / (em / 1e3),
                    gb / (dm / 1e3), gb / (am / 1e3), relError(out, v), em, dm);
            results.add(res);
            onResult.accept(res);
        }
        return results;
    }

    static double relError(float[] got, float[] want) {
        double err = 0;
        double norm = 0;
        for (int i = 0; i < want.length; i++) {
            double d = (double) got[i] - want[i];
            err += d * d;
            norm += (double) want[i] * want[i];
        }
        return norm == 0 ? Math.sqrt(err) : Math.sqrt(err / norm);
    }
}
