package org.scaleml.train.robust;

/**
 * Sends a fixed multiple {@code factor * g} of the honest gradient: {@code signflip:scale=X} is {@code factor = -X}
 * (ascent instead of descent), {@code scaled:scale=X} is {@code factor = X} (an inflated step). Each coordinate
 * becomes {@code (float) (factor * (double) g)}, the correctly rounded product. Stateless.
 */
final class ScalingAttack implements Attack {
    /*
     * Sign flipping is a standard attack of the robust-aggregation literature that needs no knowledge of the other
     * workers (e.g. the "bit flipping" attack in the experiments of Karimireddy, He and Jaggi, ICML 2021); scaling
     * shows that plain averaging fails with a single attacker, whatever the fraction of honest workers.
     */
    private final String spec;
    private final double factor;

    ScalingAttack(String spec, double factor) {
        this.spec = spec;
        this.factor = factor;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public void apply(float[] g, int off, int len, long step) {
        Slices.checkSlice(spec, g, off, len);
        for (int j = off, end = off + len; j < end; j++) {
            g[j] = (float) (factor * g[j]);
        }
    }
}
