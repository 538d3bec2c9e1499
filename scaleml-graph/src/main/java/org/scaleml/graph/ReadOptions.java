package org.scaleml.graph;

import java.util.Objects;

/**
 * Options for {@link GraphReader}: an immutable value; {@code with...} methods return a modified copy.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #symmetrize()}</td><td>false</td><td>turn a directed input (DIMACS, SNAP, Matrix Market
 *       general) into an undirected graph: every arc becomes an edge, and since an arc and its reverse then
 *       give the same edge twice, parallel arcs are always merged (minimum weight). Inputs that are
 *       undirected already (PACE, Matrix Market symmetric) are unaffected.</td></tr>
 *   <tr><td>{@link #dropSelfLoops()}</td><td>false</td><td>drop arcs {@code u->u}</td></tr>
 *   <tr><td>{@link #deduplicate()}</td><td>false</td><td>merge parallel arcs, keeping the minimum weight
 *       (the files' structure is kept faithfully by default: DIMACS New York has 3,724 parallel pairs)</td></tr>
 *   <tr><td>{@link #allowNegativeWeights()}</td><td>false</td><td>accept negative DIMACS weights and Matrix
 *       Market values; by default they are rejected, since the graphs are meant for shortest paths</td></tr>
 *   <tr><td>{@link #realWeightScale()}</td><td>1.0</td><td>Matrix Market {@code real} values become the
 *       {@code int} weight {@code Math.round(value * scale)}, which must fit in an {@code int}</td></tr>
 * </table>
 */
public final class ReadOptions {
    private static final ReadOptions DEFAULTS = new ReadOptions(false, false, false, false, 1.0);

    private final boolean symmetrize;
    private final boolean dropSelfLoops;
    private final boolean deduplicate;
    private final boolean allowNegativeWeights;
    private final double realWeightScale;

    private ReadOptions(boolean symmetrize, boolean dropSelfLoops, boolean deduplicate,
            boolean allowNegativeWeights, double realWeightScale) {
        if (!(realWeightScale > 0) || Double.isInfinite(realWeightScale)) {
            throw new IllegalArgumentException("realWeightScale must be positive and finite: " + realWeightScale);
        }
        this.symmetrize = symmetrize;
        this.dropSelfLoops = dropSelfLoops;
        this.deduplicate = deduplicate;
        this.allowNegativeWeights = allowNegativeWeights;
        this.realWeightScale = realWeightScale;
    }

    /** @return the defaults: faithful to the file (directed stays directed, loops and parallel arcs kept) */
    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    public boolean symmetrize() {
        return symmetrize;
    }

    public boolean dropSelfLoops() {
        return dropSelfLoops;
    }

    public boolean deduplicate() {
        return deduplicate;
    }

    public boolean allowNegativeWeights() {
        return allowNegativeWeights;
    }

    public double realWeightScale() {
        return realWeightScale;
    }

    public ReadOptions withSymmetrize(boolean v) {
        return new ReadOptions(v, dropSelfLoops, deduplicate, allowNegativeWeights, realWeightScale);
    }

    public ReadOptions withDropSelfLoops(boolean v) {
        return new ReadOptions(symmetrize, v, deduplicate, allowNegativeWeights, realWeightScale);
    }

    public ReadOptions withDeduplicate(boolean v) {
        return new ReadOptions(symmetrize, dropSelfLoops, v, allowNegativeWeights, realWeightScale);
    }

    public ReadOptions withAllowNegativeWeights(boolean v) {
        return new ReadOptions(symmetrize, dropSelfLoops, deduplicate, v, realWeightScale);
    }

    public ReadOptions withRealWeightScale(double scale) {
        return new ReadOptions(symmetrize, dropSelfLoops, deduplicate, allowNegativeWeights, scale);
    }

    /** @return whether parallel arcs are merged: {@link #deduplicate()} or {@link #symmetrize()} */
    boolean mergeParallel() {
        return deduplicate || symmetrize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadOptions r && r.symmetrize == symmetrize && r.dropSelfLoops == dropSelfLoops
                && r.deduplicate == deduplicate && r.allowNegativeWeights == allowNegativeWeights
                && Double.compare(r.realWeightScale, realWeightScale) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(symmetrize, dropSelfLoops, deduplicate, allowNegativeWeights, realWeightScale);
    }

    /** @return a stable description (also used in cache keys) */
    @Override
    public String toString() {
        return "symmetrize=" + symmetrize + ",dropSelfLoops=" + dropSelfLoops + ",deduplicate=" + deduplicate
                + ",allowNegativeWeights=" + allowNegativeWeights + ",realWeightScale=" + realWeightScale;
    }
}
