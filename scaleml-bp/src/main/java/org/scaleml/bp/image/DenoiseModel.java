package org.scaleml.bp.image;

import org.scaleml.bp.FactorGraph;

/**
 * Binary image denoising as inference in an Ising-prior Markov random field on the pixel grid, the classic BP
 * application [1, 2].
 *
 * <h2>Model</h2>
 * One binary variable per pixel ({@code v = y * width + x}, value 1 = white), spin {@code s = 2b - 1}. With the
 * observed (noisy) spin {@code o}:
 * <pre>
 * P(s | o)  proportional to  prod_i exp(h s_i o_i)  *  prod_{i ~ j} exp(J s_i s_j)
 * </pre>
 * over 4-neighbour pairs {@code i ~ j}. Factor layout: factors {@code 0 .. W*H-1} are the unary evidence factors,
 * table {@code (e^{-h o}, e^{h o})}; then the horizontal pairs {@code (x, y)-(x+1, y)} row by row, then the vertical
 * pairs {@code (x, y)-(x, y+1)}, each with scope {@code (i, j)} and table {@code (e^J, e^{-J}, e^{-J}, e^J)}. For
 * flip noise of probability {@code p} the exact evidence strength is {@code h = 0.5 ln((1-p)/p)}
 * ({@link #evidenceStrength(double)}); {@code J > 0} favours equal neighbours. The MAP-per-pixel decision
 * ({@link #toImage}) sets a pixel white iff its marginal {@code P(b = 1) > 1/2}.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>[1] S. Geman, D. Geman, "Stochastic relaxation, Gibbs distributions, and the Bayesian restoration of images",
 * IEEE TPAMI 6(6), 1984. [2] C. M. Bishop, Pattern Recognition and Machine Learning, Springer, 2006, section 8.3.3.
 */
public final class DenoiseModel {
    private final int width;
    private final int height;
    private final double coupling;
    private final double evidence;
    private final FactorGraph graph;

    private DenoiseModel(int width, int height, double coupling, double evidence, FactorGraph graph) {
        this.width = width;
        this.height = height;
        this.coupling = coupling;
        this.evidence = evidence;
        this.graph = graph;
    }

    /** The evidence strength {@code h = 0.5 ln((1-p)/p)} matching flip noise of probability {@code p} in (0, 1/2). */
    public static double evidenceStrength(double p) {
        if (!(p > 0 && p < 0.5)) {
            throw new IllegalArgumentException("flip probability must be in (0, 0.5), got " + p);
        }
        return 0.5 * Math.log((1 - p) / p);
    }

    /**
     * Builds the model for a noisy image.
     *
     * @param noisy    the observed image (as given, or made with {@link BinaryImage#withFlipNoise})
     * @param coupling {@code J}, finite (positive smooths)
     * @param evidence {@code h}, finite and non-negative
     * @throws IllegalArgumentException on non-finite parameters, or {@code |J|} or {@code h} above 300 (tables would
     *                                  overflow)
     */
    public static DenoiseModel build(BinaryImage noisy, double coupling, double evidence) {
        if (!Double.isFinite(coupling) || Math.abs(coupling) > 300) {
            throw new IllegalArgumentException("coupling must be finite with |J| <= 300, got " + coupling);
        }
        if (!(evidence >= 0 && evidence <= 300)) {
            throw new IllegalArgumentException("evidence strength must be in [0, 300], got " + evidence);
        }
        int w = noisy.width();
        int h = noisy.height();
        FactorGraph.Builder b = FactorGraph.builder();
        for (int i = 0; i < w * h; i++) {
            b.addVariable(2);
        }
        double lo = Math.exp(-evidence);
        double hi = Math.exp(evidence);
        for (int i = 0; i < w * h; i++) {
            b.addFactor(new int[] {i}, noisy.get(i) == 1 ? new double[] {lo, hi} : new double[] {hi, lo});
        }
        double same = Math.exp(coupling);
        double diff = Math.exp(-coupling);
        double[] pair = {same, diff, diff, same};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x + 1 < w; x++) {
                b.addFactor(new int[] {y * w + x, y * w + x + 1}, pair);
            }
        }
        for (int y = 0; y + 1 < h; y++) {
            for (int x = 0; x < w; x++) {
                b.addFactor(new int[] {y * w + x, (y + 1) * w + x}, pair);
            }
        }
        return new DenoiseModel(w, h, coupling, evidence, b.build());
    }

    /** The factor graph (layout in the class comment). */
    public FactorGraph graph() {
        return graph;
    }

    /** Image width. */
    public int width() {
        return width;
    }

    /** Image height. */
    public int height() {
        return height;
    }

    /** The coupling J. */
    public double coupling() {
        return coupling;
    }

    /** The evidence strength h. */
    public double evidence() {
        return evidence;
    }

    /**
     * The MAP-per-pixel image: white iff {@code marginals[v][1] > 0.5}.
     *
     * @param marginals one distribution of length 2 per pixel, e.g. {@code BpResult.marginals()}
     * @throws IllegalArgumentException if the count or a length is wrong
     */
    public BinaryImage toImage(double[][] marginals) {
        if (marginals.length != width * height) {
            throw new IllegalArgumentException(marginals.length + " marginals for " + (width * height) + " pixels");
        }
        byte[] px = new byte[marginals.length];
        for (int i = 0; i < px.length; i++) {
            if (marginals[i].length != 2) {
                throw new IllegalArgumentException("pixel " + i + ": marginal of length " + marginals[i].length);
            }
            px[i] = (byte) (marginals[i][1] > 0.5 ? 1 : 0);
        }
        return BinaryImage.of(width, height, px);
    }
}
