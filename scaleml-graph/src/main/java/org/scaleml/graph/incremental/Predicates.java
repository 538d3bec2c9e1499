package org.scaleml.graph.incremental;

import java.math.BigDecimal;

/**
 * Robust planar predicates on {@code double} coordinates: the sign of {@link #orient} and of {@link #incircle},
 * exact for every finite input, with incircle ties broken by a fixed symbolic perturbation so that no four points
 * are ever cocircular. Stateless and thread-safe; no allocation unless the floating-point filter is inconclusive.
 */
final class Predicates {
    /*
     * Filters. Both determinants are first evaluated in double precision together with an upper bound on the
     * rounding error (Shewchuk's "stage A" bounds, "Adaptive Precision Floating-Point Arithmetic and Fast Robust
     * Geometric Predicates", DCG 1997: (3 + 16e)e * |terms| for orient, (10 + 96e)e * permanent for incircle, with
     * e = 2^-53; we use a slightly larger constant). When |det| exceeds the bound its sign is certain; otherwise
     * the determinant is recomputed exactly with BigDecimal (every double is a finite binary fraction, so sums and
     * products are exact). The exact path is rare on random inputs and common on grid-aligned ones.
     *
     * Symbolic perturbation. Cocircular points (e.g. the corners of every grid square) make the Delaunay
     * triangulation non-unique, and the triangles found would then depend on the insertion order. We break ties
     * as if every point i had been lifted to x^2 + y^2 + d_i, with infinitesimals d_i > 0 where a larger point id
     * dominates every smaller one (Edelsbrunner and Muecke's simulation of simplicity restricted to the lifting
     * coordinate). The 4x4 lifted determinant L = det[x_i, y_i, z_i, 1] (rows a, b, c, d) is linear in the z_i,
     * so L(z + d) = L(z) + sum_i d_i * C_i with C_i = (-1)^i * orient(the other three rows, in order). If L(z) = 0
     * its perturbed sign is that of C_i for the dominant point i with C_i != 0. In every use here a, b, c is a real
     * triangle, so C_3 = -orient(a, b, c) != 0 and the rule always decides. Since this is an actual (infinitesimal)
     * lifting of distinct points, the perturbed triangulation is a genuine Delaunay triangulation of the input
     * (a refinement of its unique Delaunay subdivision), unique and independent of the insertion order.
     */
    private static final double ORIENT_BOUND = 4.0e-16;
    private static final double INCIRCLE_BOUND = 1.2e-15;

    private Predicates() {
    }

    /** +1 if a, b, c turn counter-clockwise, -1 if clockwise, 0 if collinear (exact). */
    static int orient(double ax, double ay, double bx, double by, double cx, double cy) {
        double l = (bx - ax) * (cy - ay);
        double r = (by - ay) * (cx - ax);
        double det = l - r;
        double bound = ORIENT_BOUND * (Math.abs(l) + Math.abs(r));
        if (det > bound) {
            return 1;
        }
        if (-det > bound) {
            return -1;
        }
        return orientExact(ax, ay, bx, by, cx, cy);
    }

    static int orientExact(double ax, double ay, double bx, double by, double cx, double cy) {
        BigDecimal axd = new BigDecimal(ax);
        BigDecimal ayd = new BigDecimal(ay);
        BigDecimal l = new BigDecimal(bx).subtract(axd).multiply(new BigDecimal(cy).subtract(ayd));
        BigDecimal r = new BigDecimal(by).subtract(ayd).multiply(new BigDecimal(cx).subtract(axd));
        return l.compareTo(r);
    }

    /**
     * The unperturbed incircle determinant's sign: +1 if d lies inside the circle through the counter-clockwise
     * triangle a, b, c, -1 outside, 0 on it (exact).
     */
    static int incircleRaw(double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy) {
        double adx = ax - dx;
        double ady = ay - dy;
        double bdx = bx - dx;
        double bdy = by - dy;
        double cdx = cx - dx;
        double cdy = cy - dy;
        double alift = adx * adx + ady * ady;
        double blift = bdx * bdx + bdy * bdy;
        double clift = cdx * cdx + cdy * cdy;
        double bc = bdx * cdy - bdy * cdx;
        double ca = cdx * ady - cdy * adx;
        double ab = adx * bdy - ady * bdx;
        double det = alift * bc + blift * ca + clift * ab;
        double permanent = alift * (Math.abs(bdx * cdy) + Math.abs(bdy * cdx))
                + blift * (Math.abs(cdx * ady) + Math.abs(cdy * adx))
                + clift * (Math.abs(adx * bdy) + Math.abs(ady * bdx));
        double bound = INCIRCLE_BOUND * permanent;
        if (det > bound) {
            return 1;
        }
        if (-det > bound) {
            return -1;
        }
        return incircleExact(ax, ay, bx, by, cx, cy, dx, dy);
    }

    static int incircleExact(double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy) {
        BigDecimal dxd = new BigDecimal(dx);
        BigDecimal dyd = new BigDecimal(dy);
        BigDecimal adx = new BigDecimal(ax).subtract(dxd);
        BigDecimal ady = new BigDecimal(ay).subtract(dyd);
        BigDecimal bdx = new BigDecimal(bx).subtract(dxd);
        BigDecimal bdy = new BigDecimal(by).subtract(dyd);
        BigDecimal cdx = new BigDecimal(cx).subtract(dxd);
        BigDecimal cdy = new BigDecimal(cy).subtract(dyd);
        BigDecimal alift = adx.multiply(adx).add(ady.multiply(ady));
        BigDecimal blift = bdx.multiply(bdx).add(bdy.multiply(bdy));
        BigDecimal clift = cdx.multiply(cdx).add(cdy.multiply(cdy));
        BigDecimal det = alift.multiply(bdx.multiply(cdy).subtract(bdy.multiply(cdx)))
                .add(blift.multiply(cdx.multiply(ady).subtract(cdy.multiply(adx))))
                .add(clift.multiply(adx.multiply(bdy).subtract(ady.multiply(bdx))));
        return det.signum();
    }

    /**
     * The perturbed incircle test on points of {@code xs, ys} by id: +1 if d is inside the circle through the
     * counter-clockwise triangle (a, b, c), -1 if outside; never 0 when a, b, c are not collinear (ties broken by
     * the symbolic perturbation described in the class comment, larger ids dominating).
     */
    static int incircle(double[] xs, double[] ys, int a, int b, int c, int d) {
        return incircle(xs, ys, null, a, b, c, d);
    }

    /**
     * Like {@link #incircle(double[], double[], int, int, int, int)} for points stored under internal indices:
     * {@code ids[i]} is the id of the point stored at index i that decides its perturbation (null: the index).
     */
    static int incircle(double[] xs, double[] ys, int[] ids, int a, int b, int c, int d) {
        int s = incircleRaw(xs[a], ys[a], xs[b], ys[b], xs[c], ys[c], xs[d], ys[d]);
        return s != 0 ? s : perturbed(xs, ys, ids, a, b, c, d);
    }

    /** Like {@link #incircle(double[], double[], int[], int, int, int, int)} on interleaved coordinates. */
    static int incircle(double[] xy, int[] ids, int a, int b, int c, int d) {
        int s = incircleRaw(xy[2 * a], xy[2 * a + 1], xy[2 * b], xy[2 * b + 1], xy[2 * c], xy[2 * c + 1], xy[2 * d],
                xy[2 * d + 1]);
        if (s != 0) {
            return s;
        }
        double[] xs = {xy[2 * a], xy[2 * b], xy[2 * c], xy[2 * d]};
        double[] ys = {xy[2 * a + 1], xy[2 * b + 1], xy[2 * c + 1], xy[2 * d + 1]};
        return perturbed(xs, ys, new int[] {ids[a], ids[b], ids[c], ids[d]}, 0, 1, 2, 3);
    }

    /** The sign decided by the perturbation, for four points whose unperturbed determinant is 0. */
    private static int perturbed(double[] xs, double[] ys, int[] ids, int a, int b, int c, int d) {
        int[] rows = {a, b, c, d};
        int[] rowIds = ids == null ? rows : new int[] {ids[a], ids[b], ids[c], ids[d]};
        // Visit the rows by decreasing id (the dominant infinitesimal first).
        Integer[] byId = {0, 1, 2, 3};
        java.util.Arrays.sort(byId, (i, j) -> Integer.compare(rowIds[j], rowIds[i]));
        for (int i : byId) {
            int[] o = new int[3];
            int k = 0;
            for (int j = 0; j < 4; j++) {
                if (j != i) {
                    o[k++] = rows[j];
                }
            }
            int or = orient(xs[o[0]], ys[o[0]], xs[o[1]], ys[o[1]], xs[o[2]], ys[o[2]]);
            if (or != 0) {
                return (i & 1) == 0 ? or : -or;
            }
        }
        return 0; // all four collinear: only reachable with a degenerate triangle, which callers never pass
    }
}
