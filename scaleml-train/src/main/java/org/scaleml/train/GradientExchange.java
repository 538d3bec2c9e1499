package org.scaleml.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.scaleml.comm.codec.CodecSpec;
import org.scaleml.comm.codec.Codecs;
import org.scaleml.comm.collective.Allreduce;
import org.scaleml.comm.collective.Collectives;
import org.scaleml.comm.collective.CompressedAllreduce;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.common.SplitMix64;
import org.scaleml.train.model.Layer;

/**
 * Averages a gradient over all ranks, layer by layer, each layer plain or compressed by its own codec: the
 * communication step of synchronous data-parallel training.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Result.</b> After {@link #average} every rank holds, bitwise identical everywhere, the mean over ranks
 *       of the gradients passed in: exact (float sums) for uncompressed layers, the compressed allreduce's result
 *       divided by the world size for compressed ones (see {@link CompressedAllreduce}).</li>
 *   <li><b>Plan.</b> A layer travels compressed when the job has a codec, the layer has at least
 *       {@code minCompressed} elements and no per-layer override says otherwise; per-layer overrides map a layer
 *       name, or a prefix ending in {@code *}, to a codec specification or {@code none}. All uncompressed layers
 *       are fused into one buffer and reduced by one plain allreduce (small layers would pay a payload header and a
 *       round of latency each). By default the compressed layers that share a codec are fused the same way into
 *       one compressed allreduce per codec: every collective call costs several rounds of latency (measured on a
 *       1 Gbit/s network with 4 workers: per-layer calls made a 7.7x smaller 4-bit step barely faster than the
 *       uncompressed one); with {@code fuse = false} each compressed layer has its own call and codec streams.
 *       {@link #plan()} describes the choice per layer.</li>
 *   <li><b>Adaptive plan.</b> With the job codec {@code adaptive:bits=B[,min=2,max=8,warmup=W,every=E,bucket=D,
 *       norm=max|l2,base=qsgd]} (not a registry codec: {@link #validateCodec} accepts it, {@code Codecs.create}
 *       does not) the layers the job codec would compress are planned layer by layer, after CGX [1] and
 *       L-GreCo [2]: for the first {@code W} calls of {@link #average} they use uniform
 *       {@code qsgd:bits=floor(B),bucket=D,norm=max} (or the {@code norm} given); at the end of call {@code W}
 *       (and of every {@code E}-th call after it if {@code E > 0}) each gets its own width {@code b_L} in
 *       {@code [min, max]} that minimizes the total expected quantization error, measured on each rank's own
 *       gradients of the last {@code min(5, W)} calls before the plan and summed over ranks, subject to
 *       {@code sum_L n_L b_L <= floor(B sum_L n_L)} over those layers ({@link LayerwisePlanner}); then the
 *       compressed groups are rebuilt, fused by codec as before. The error tables (4 bytes per layer and
 *       candidate width) travel in the plain layers' allreduce of the measured calls, so every rank holds the
 *       same sums and computes the same plan at the same call without a collective call of its own, and the
 *       collectives stay aligned. Layers named by an override keep their override and stay outside the budget;
 *       layers below {@code minCompressed} stay uncompressed. A group whose codec and layers a new plan leaves
 *       unchanged keeps its codec streams (and residuals); the others start new streams (the base codec has no
 *       error feedback, so nothing is lost). {@link #planVersion}, {@link #planState}/{@link #restorePlanState}
 *       and {@link #initialDescribe} let a trainer report and checkpoint the plan.</li>
 *   <li><b>State.</b> Each compressed group keeps its own codec streams (error feedback per rank and group);
 *       {@link #restart} and {@link #residuals}/{@link #restoreResiduals} let a checkpoint capture and restore it
 *       (restore an adaptive exchange's {@link #restorePlanState plan state} first: the groups follow the plan).</li>
 *   <li><b>Calls.</b> Every rank must build the exchange with the same arguments and call it in the same order,
 *       like any collective. Not thread-safe.</li>
 * </ul>
 *
 * <p>[1] I. Markov, H. Ramezani-Kebrya, D. Alistarh, "CGX: Adaptive System Support for Communication-Efficient
 * Deep Learning", Middleware 2022. [2] I. Markov, K. Alim, E. Frantar, D. Alistarh, "L-GreCo: Layerwise-Adaptive
 * Gradient Compression for Efficient and Accurate Deep Learning", MLSys 2024.
 */
public final class GradientExchange {
    /*
     * Adaptive re-planning, and why it stays aligned. What is measured: each rank's own gradient, before the
     * exchange, which is what the phase-1 encoders of CompressedAllreduce quantize. Measuring the averaged gradient
     * instead (identical on every rank, so no communication at all) does not work: it is the decoding of the
     * owners' re-compression at the warm-up width, i.e. it already lies on the grid of that quantizer, so that
     * width (and its multiples) show almost no error and the plan would stick to the warm-up width. The per-rank
     * tables are summed by the plain layers' allreduce of the same call (appended to its buffer: no extra call,
     * 4 bytes per layer and candidate width), whose result is bitwise identical on every rank; LayerwisePlanner
     * is deterministic, so every rank computes the same widths at the same call. Rebuilding the groups does not
     * communicate (a CompressedAllreduce takes its tag block per call), so the next call of average() issues the
     * same sequence of collectives on every rank.
     *
     * Resumption. planState() (an AdaptivePlanState in its text form) records the number of calls seen, the
     * plan version, the widths and, between measured calls of a window, the partial error sums (as raw double
     * bits; the same on every rank), so a restored exchange re-plans at the same call with the same numbers as an
     * uninterrupted one. The seeds of new groups derive from the last restart seed and the plan version, and a
     * trainer restarts the streams right after restoring anyway.
     *
     * Size. This class stays above 500 lines on purpose: the plan, the compressed groups and the adaptive
     * planner's counters change together inside average(), and keeping them in one place keeps the invariant that
     * every rank issues the same collectives in the same order readable in one file. The plan state's text form
     * and its checks live apart, in AdaptivePlanState; the width choice in LayerwisePlanner.
     */

    /**
     * Layers that travel together with one codec: their gradients are concatenated into {@code staging} (unless
     * the group is one layer, reduced in place) and reduced by one compressed allreduce. {@code key} is the codec,
     * plus the layer name when groups are not fused.
     */
    private record Group(String key, List<Layer> layers, CompressedAllreduce reducer, float[] staging) {
    }

    private final Communicator comm;
    private final Collectives coll;
    private final List<Layer> layers;
    private final boolean fuse;
    private List<Group> groups;
    private final Map<Layer, String> planned = new LinkedHashMap<>();
    private final List<Layer> plain = new ArrayList<>();
    private final float[] fused;
    private final float scale;
    private final String initialDescribe;
    /** The seed of the last restart (or of the construction): new groups' streams derive from it. */
    private long streamSeed;

    // adaptive planning (adaptive == null: none)
    private final LayerwisePlanner.Spec adaptive;
    private final List<Layer> adaptiveLayers = new ArrayList<>();
    private final String adaptiveKey;
    private int[] bits;
    /** Error sums over ranks and the measured calls of the current window, per adaptive layer and width. */
    private double[] errors;
    /** This rank's errors of the current call. */
    private final double[] stepErrors;
    /** The plain layers' buffer with room for the error table after them. */
    private final float[] withErrors;
    private boolean measured;
    private long calls;
    private long planVersion;

    /** {@link #GradientExchange(Communicator, List, String, int, Map, long, boolean)} with fused groups. */
    public GradientExchange(Communicator comm, List<Layer> layers, String codec, int minCompressed,
                            Map<String, String> overrides, long seed) {
        this(comm, layers, codec, minCompressed, overrides, seed, true);
    }

    /**
     * @param comm          the job's communicator
     * @param layers        the model's layers
     * @param codec         the default codec specification, {@code none} for none, or an adaptive specification
     *                      {@code adaptive:bits=B,...} (see the class contract)
     * @param minCompressed layers with fewer elements are sent uncompressed
     * @param overrides     layer name (or {@code prefix*}) to codec specification or {@code none}, first match wins;
     *                      overrides cannot be adaptive
     * @param seed          seed of the codec streams (the same on every rank)
     * @param fuse          true: layers with the same codec are concatenated and reduced by one collective call
     *                      (one round of latency per step instead of one per layer; quantizer buckets and TopK
     *                      selection then run over the concatenation); false: every compressed layer has its own
     *                      collective and codec streams
     * @throws IllegalArgumentException for an invalid codec specification or an override naming no layer
     */
    public GradientExchange(Communicator comm, List<Layer> layers, String codec, int minCompressed,
                            Map<String, String> overrides, long seed, boolean fuse) {
        this.comm = Objects.requireNonNull(comm, "comm");
        this.coll = new Collectives(comm);
        this.layers = List.copyOf(layers);
        this.fuse = fuse;
        this.streamSeed = seed;
        Map<String, String> ov = new LinkedHashMap<>(overrides);
        checkOverrides(layers, ov);
        for (Map.Entry<String, String> e : ov.entrySet()) {
            if (LayerwisePlanner.Spec.isAdaptive(e.getValue())) {
                throw new IllegalArgumentException("layer codec override '" + e.getKey() + "=" + e.getValue()
                        + "': adaptive plans the job codec's layers together and cannot be a per-layer override; "
                        + "use it as the job codec");
            }
        }
        this.adaptive = LayerwisePlanner.Spec.isAdaptive(codec) ? LayerwisePlanner.Spec.parse(codec) : null;
        int plainLen = 0;
        for (Layer l : layers) {
            String spec = isNone(codec) || l.length() < minCompressed ? "none" : codec;
            boolean overridden = false;
            for (Map.Entry<String, String> e : ov.entrySet()) {
                if (matches(e.getKey(), l.name())) {
                    spec = e.getValue();
                    overridden = true;
                    break;
                }
            }
            if (isNone(spec) || l.length() == 0) {
                plain.add(l);
                plainLen += l.length();
                planned.put(l, "none");
            } else if (adaptive != null && !overridden) {
                adaptiveLayers.add(l);
                planned.put(l, "none"); // set by assignAdaptive below
            } else {
                planned.put(l, Codecs.create(spec, seed).spec()); // validates the specification
            }
        }
        if (adaptive != null) {
            bits = new int[adaptiveLayers.size()];
            Arrays.fill(bits, adaptive.warmupBits());
            errors = new double[adaptiveLayers.size() * adaptive.candidates()];
            stepErrors = new double[errors.length];
            withErrors = new float[plainLen + errors.length];
            assignAdaptive();
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            for (Layer l : adaptiveLayers) {
                crc.update((l.name() + ":" + l.offset() + ":" + l.length() + ";")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            adaptiveKey = String.format("%08x", crc.getValue());
        } else {
            adaptiveKey = "";
            stepErrors = null;
            withErrors = null;
        }
        groups = buildGroups(List.of(), seed);
        fused = new float[plainLen];
        scale = 1f / comm.size();
        initialDescribe = describe();
    }

    /** Puts the codec of each adaptive layer's current width into the plan. */
    private void assignAdaptive() {
        for (int i = 0; i < adaptiveLayers.size(); i++) {
            planned.put(adaptiveLayers.get(i), adaptive.codec(bits[i]));
        }
    }

    /**
     * The compressed groups of the current {@link #planned} codecs, in layer order: a group of {@code old} with
     * the same key and layers is kept (with its streams), others are created with streams from
     * {@code layerSeed(seedBase, index)}.
     */
    private List<Group> buildGroups(List<Group> old, long seedBase) {
        Map<String, List<Layer>> byKey = new LinkedHashMap<>();
        for (Layer l : layers) {
            String canonical = planned.get(l);
            if (!canonical.equals("none")) {
                byKey.computeIfAbsent(fuse ? canonical : canonical + "#" + l.name(), k -> new ArrayList<>()).add(l);
            }
        }
        List<Group> out = new ArrayList<>();
        int g = 0;
        for (Map.Entry<String, List<Layer>> e : byKey.entrySet()) {
            List<Layer> members = e.getValue();
            Group kept = null;
            for (Group o : old) {
                if (o.key().equals(e.getKey()) && o.layers().equals(members)) {
                    kept = o;
                    break;
                }
            }
            if (kept == null) {
                String canonical = planned.get(members.get(0));
                int len = 0;
                for (Layer l : members) {
                    len += l.length();
                }
                CompressedAllreduce car = new CompressedAllreduce(comm, canonical,
                        ownerSpec(canonical, comm.size()), layerSeed(seedBase, g));
                kept = new Group(e.getKey(), List.copyOf(members), car, members.size() == 1 ? null : new float[len]);
            }
            out.add(kept);
            g++;
        }
        return out;
    }

    /** The seed base of the groups a plan of version {@code version} creates. */
    private long planSeed(long version) {
        return version == 0 ? streamSeed : SplitMix64.mix(streamSeed ^ SplitMix64.mix(version + 0x2545F4914F6CDD1DL));
    }

    /**
     * The codec with which a chunk's owner re-compresses the reduced chunk: the same codec, except that a TopK
     * sparsifier keeps {@code world} times its ratio (at most 1), since the sum of {@code world} top-k chunks has up
     * to {@code world} times the entries; keeping only {@code k} of them would drop most of the sum and leave it to
     * error feedback (measured: 4 points of Fashion-MNIST accuracy for an MLP at 1% on 4 workers).
     */
    static String ownerSpec(String canonical, int world) {
        java.util.regex.Matcher m = TOPK_RATIO.matcher(canonical);
        if (world <= 1 || !m.find()) {
            return canonical;
        }
        double r = Math.min(1.0, Double.parseDouble(m.group(2)) * world);
        return canonical.substring(0, m.start(2)) + r + canonical.substring(m.end(2));
    }

    private static final java.util.regex.Pattern TOPK_RATIO =
            java.util.regex.Pattern.compile("(^|:)topk:ratio=([0-9.eE+-]+)");

    /**
     * Checks that every override pattern names at least one of the layers.
     *
     * @throws IllegalArgumentException naming the first pattern that matches no layer, and the layers
     */
    public static void checkOverrides(List<Layer> layers, Map<String, String> overrides) {
        for (String pattern : overrides.keySet()) {
            boolean any = false;
            for (Layer l : layers) {
                any |= matches(pattern, l.name());
            }
            if (!any) {
                List<String> names = new ArrayList<>();
                layers.forEach(l -> names.add(l.name()));
                throw new IllegalArgumentException("layer codec override '" + pattern + "' names no layer; layers: "
                        + String.join(", ", names));
            }
        }
    }

    /** True if {@code spec} names no codec ({@code none}, empty or null). */
    static boolean isNone(String spec) {
        return spec == null || spec.isEmpty() || spec.equalsIgnoreCase("none");
    }

    static boolean matches(String pattern, String name) {
        return pattern.endsWith("*") ? name.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(name);
    }

    private static long layerSeed(long seed, int group) {
        return seed * 0x9E3779B97F4A7C15L + 31L * group + 17;
    }

    /**
     * Replaces {@code grad} by its mean over all ranks (see the class contract). With an adaptive codec, the call
     * may also measure {@code grad} (before the exchange) and, at its end, re-plan.
     */
    public void average(float[] grad) {
        final boolean measuring = adaptive != null && adaptive.measuresAt(calls + 1);
        if (measuring) {
            measure(grad);
        }
        for (Group gr : groups) {
            if (gr.staging() == null) {
                Layer l = gr.layers().get(0);
                gr.reducer().allreduce(grad, l.offset(), l.length());
            } else {
                gather(grad, gr.layers(), gr.staging());
                gr.reducer().allreduce(gr.staging());
                scatter(gr.staging(), gr.layers(), grad);
            }
        }
        if (measuring && withErrors.length > 0) { // the error tables ride with the plain layers: no extra call
            int at = withErrors.length - stepErrors.length;
            gather(grad, plain, withErrors);
            for (int i = 0; i < stepErrors.length; i++) {
                withErrors[at + i] = (float) stepErrors[i];
            }
            coll.allreduce(withErrors, 0, withErrors.length, Allreduce.Algorithm.AUTO);
            scatter(withErrors, plain, grad);
            for (int i = 0; i < stepErrors.length; i++) {
                errors[i] += withErrors[at + i];
            }
        } else if (fused.length > 0) {
            gather(grad, plain, fused);
            coll.allreduce(fused, 0, fused.length, Allreduce.Algorithm.AUTO);
            scatter(fused, plain, grad);
        }
        if (comm.size() > 1) {
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= scale;
            }
        }
        if (adaptive != null) {
            calls++;
            measured |= measuring;
            if (adaptive.plansAt(calls)) {
                replan();
            }
        }
    }

    /**
     * Puts into {@link #stepErrors} the expected error of every candidate width on every adaptive layer of this
     * rank's own {@code grad}, sampled for large layers (zeros if it is not finite: the codec then reports that,
     * on every rank).
     */
    private void measure(float[] grad) {
        Arrays.fill(stepErrors, 0);
        int c = adaptive.candidates();
        try {
            for (int i = 0; i < adaptiveLayers.size(); i++) {
                Layer l = adaptiveLayers.get(i);
                long r = SplitMix64.mix(SplitMix64.mix(calls * comm.size() + comm.rank()) + i);
                LayerwisePlanner.accumulateErrors(grad, l.offset(), l.length(), adaptive.bucket(),
                        adaptive.maxNorm(), adaptive.min(), adaptive.max(), LayerwisePlanner.MEASURED_BUCKETS,
                        (r >>> 11) * 0x1p-53, stepErrors, i * c);
            }
        } catch (IllegalArgumentException nonFinite) {
            Arrays.fill(stepErrors, 0);
        }
    }

    /** Chooses the widths from the measured errors and rebuilds the groups (the same on every rank). */
    private void replan() {
        int c = adaptive.candidates();
        int[] sizes = new int[adaptiveLayers.size()];
        double[][] err = new double[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = adaptiveLayers.get(i).length();
            err[i] = Arrays.copyOfRange(errors, i * c, (i + 1) * c);
        }
        bits = LayerwisePlanner.choose(sizes, err, adaptive.min(), adaptive.budget());
        Arrays.fill(errors, 0);
        measured = false;
        planVersion++;
        assignAdaptive();
        groups = buildGroups(groups, planSeed(planVersion));
    }

    private static void gather(float[] grad, List<Layer> layers, float[] dst) {
        int at = 0;
        for (Layer l : layers) {
            System.arraycopy(grad, l.offset(), dst, at, l.length());
            at += l.length();
        }
    }

    private static void scatter(float[] src, List<Layer> layers, float[] grad) {
        int at = 0;
        for (Layer l : layers) {
            System.arraycopy(src, at, grad, l.offset(), l.length());
            at += l.length();
        }
    }

    /**
     * Restarts every compressed group's codec streams from a seed derived from {@code seed} (residuals kept); the
     * groups of later re-plans also derive their seeds from it.
     */
    public void restart(long seed) {
        streamSeed = seed;
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).reducer().restart(layerSeed(seed, i));
        }
    }

    /** Error-feedback residuals per compressed group (in plan order) and codec stream. */
    public float[][][] residuals() {
        float[][][] out = new float[groups.size()][][];
        for (int i = 0; i < groups.size(); i++) {
            out[i] = groups.get(i).reducer().residuals();
        }
        return out;
    }

    /** Restores residuals returned by {@link #residuals()} on the same rank of an identical exchange. */
    public void restoreResiduals(float[][][] res) {
        if (res.length != groups.size()) {
            throw new IllegalArgumentException(res.length + " compressed groups in the saved state, "
                    + groups.size() + " in this plan");
        }
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).reducer().restoreResiduals(res[i]);
        }
    }

    /** Number of collective calls per step: one per compressed group, plus one for the plain layers if any. */
    public int callsPerStep() {
        return groups.size() + (fused.length > 0 ? 1 : 0);
    }

    /**
     * The current plan, one entry per layer in parameter order: layer name to its canonical codec or {@code none}
     * (for an adaptive exchange, each planned layer's current width, e.g. {@code qsgd:bits=3,bucket=512,norm=max}).
     */
    public Map<String, String> plan() {
        List<Layer> ls = new ArrayList<>(planned.keySet());
        ls.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
        Map<String, String> m = new LinkedHashMap<>();
        for (Layer l : ls) {
            m.put(l.name(), planned.get(l));
        }
        return Collections.unmodifiableMap(m);
    }

    /** The current plan as one line, e.g. {@code fc1.weight=qsgd:bits=4,bucket=512 fc1.bias=none}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        plan().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }

    /**
     * The plan at construction, as {@link #describe()} gave it then: unchanged by re-planning, so it can enter a
     * checkpoint's fingerprint.
     */
    public String initialDescribe() {
        return initialDescribe;
    }

    /** 0 until the first adaptive plan, then the number of plans made (always 0 for a non-adaptive codec). */
    public long planVersion() {
        return planVersion;
    }

    /**
     * The adaptive planner's state, enough for {@link #restorePlanState} to rebuild the current plan and to
     * re-plan later at the same call with the same numbers as this exchange: the adaptive specification, a
     * checksum of its layers, the number of calls of {@link #average} so far, the plan version, the widths, and,
     * inside a measurement window, the partial error sums. Empty for a non-adaptive codec and before the first
     * call. The same on every rank. One line of printable ASCII without spaces.
     */
    public String planState() {
        if (adaptive == null || calls == 0) {
            return "";
        }
        return new AdaptivePlanState(adaptive.canonical(), adaptiveKey, calls, planVersion, bits,
                measured ? errors : null).format();
    }

    /**
     * Sets the adaptive planner to a state returned by {@link #planState()} of an exchange built with the same
     * arguments (on any rank), and rebuilds the groups of its plan: afterwards {@link #describe()},
     * {@link #planVersion()} and {@link #planState()} are the saved exchange's. An empty state is the state at
     * construction. Call it before {@link #restoreResiduals} (the groups follow the plan) and follow it by
     * {@link #restart}, as a resumed trainer does: with the same restart seed, the two exchanges then produce
     * bitwise the same averages. Does not communicate; every rank must restore the same state.
     *
     * @throws IllegalArgumentException if the state is malformed, or of another codec or set of layers (e.g. a
     *                                  non-empty state for a non-adaptive exchange)
     */
    public void restorePlanState(String state) {
        Objects.requireNonNull(state, "state");
        if (adaptive == null) {
            if (!state.isEmpty()) {
                throw new IllegalArgumentException("adaptive plan state given to an exchange whose codec is not "
                        + "adaptive (plan: " + describe() + ")");
            }
            return;
        }
        if (state.isEmpty()) {
            calls = 0;
            planVersion = 0;
            bits = new int[bits.length];
            Arrays.fill(bits, adaptive.warmupBits());
            errors = new double[errors.length];
            measured = false;
        } else {
            AdaptivePlanState saved = AdaptivePlanState.parse(state, adaptive, adaptiveKey, adaptiveLayers);
            calls = saved.calls();
            planVersion = saved.version();
            bits = saved.bits();
            errors = saved.measured() ? saved.errorSums() : new double[errors.length];
            measured = saved.measured();
        }
        assignAdaptive();
        groups = buildGroups(groups, planSeed(planVersion));
    }

    /**
     * Checks a job codec specification as the constructor would: any specification of the codec registry
     * ({@link Codecs#create}), {@code none}, or {@code adaptive:bits=B[,min=2,max=8,warmup=50,every=0,bucket=512,
     * norm=max|l2,base=qsgd]}.
     *
     * @throws IllegalArgumentException with a message naming what is wrong (an unknown codec lists the known ones)
     */
    public static void validateCodec(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty codec specification (use none for no compression)");
        }
        if (spec.strip().equalsIgnoreCase("none")) {
            return;
        }
        if (LayerwisePlanner.Spec.isAdaptive(spec)) {
            LayerwisePlanner.Spec.parse(spec);
            return;
        }
        String inner = spec.strip();
        while (true) {
            CodecSpec s = CodecSpec.parse(inner);
            if (s.inner() == null) {
                if (s.name().equals(LayerwisePlanner.Spec.NAME)) {
                    throw new IllegalArgumentException("'" + spec + "': adaptive cannot be wrapped in ef: (its "
                            + "quantizer is unbiased and needs no error feedback); use adaptive:bits=B");
                }
                if (!Codecs.names().contains(s.name())) {
                    throw new IllegalArgumentException("unknown codec '" + s.name() + "' in '" + spec
                            + "'; known codecs: " + String.join(", ", Codecs.names()) + ", ef:SPEC for error "
                            + "feedback, adaptive:bits=B for layer-wise adaptive widths, or none");
                }
                break;
            }
            inner = s.inner();
        }
        Codecs.create(spec, 0);
    }
}
