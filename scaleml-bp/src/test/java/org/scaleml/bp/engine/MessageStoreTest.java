package org.scaleml.bp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.Generators;

/** The message store's fast paths against its generic path and against a from-scratch reference. */
class MessageStoreTest {

    @Test
    void fastPathsEqualGenericPathBitForBit() {
        for (long seed = 1; seed <= 20; seed++) {
            for (FactorGraph g : new FactorGraph[] {model(seed), Generators.isingGrid(4, 5, -1, 1, -1, 1, seed),
                    Generators.pottsGrid(3, 4, 3, -1, 1, -1, 1, seed)}) {
                for (boolean concurrent : new boolean[] {false, true}) {
                    MessageStore st = new MessageStore(g, concurrent);
                    randomizeMessages(st, new SplittableRandom(seed * 7));
                    MessageStore.Scratch a = st.scratch();
                    MessageStore.Scratch b = st.scratch();
                    for (int e = 0; e < st.edges; e++) {
                        st.compute(e, a);
                        st.computeGeneric(e, b);
                        for (int x = 0; x < st.card(e); x++) {
                            assertThat(Double.doubleToRawLongBits(a.out[x]))
                                    .as("seed %d edge %d entry %d", seed, e, x)
                                    .isEqualTo(Double.doubleToRawLongBits(b.out[x]));
                        }
                        double[] ref = reference(g, st, e);
                        for (int x = 0; x < st.card(e); x++) {
                            assertThat(a.out[x]).isCloseTo(ref[x], org.assertj.core.data.Offset.offset(1e-12));
                        }
                    }
                }
            }
        }
    }

    @Test
    void messagesIntoAVariableAreContiguous() {
        FactorGraph g = model(3);
        MessageStore st = new MessageStore(g, false);
        for (int v = 0; v < g.variables(); v++) {
            int[] fs = g.factorsOf(v);
            int[] ps = g.positionsOf(v);
            for (int k = 0; k < fs.length; k++) {
                int e = g.edge(fs[k], ps[k]);
                assertThat(st.msgOff[e]).isEqualTo(st.varOff[v] + k * g.cardinality(v));
                assertThat(st.card(e)).isEqualTo(g.cardinality(v));
            }
            assertThat(st.varOff[v + 1] - st.varOff[v]).isEqualTo(fs.length * g.cardinality(v));
        }
        assertThat(st.msgOff[st.edges]).isEqualTo(st.msg.length);
    }

    /** A random model: 12 variables of cardinality 1..4, 30 factors of arity 1..3 with positive random tables. */
    static FactorGraph model(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        FactorGraph.Builder b = FactorGraph.builder();
        int n = 12;
        int[] card = new int[n];
        for (int v = 0; v < n; v++) {
            card[v] = 1 + rnd.nextInt(4);
            b.addVariable(card[v]);
        }
        for (int f = 0; f < 30; f++) {
            int k = 1 + rnd.nextInt(3);
            int[] sc = rnd.ints(0, n).distinct().limit(k).toArray();
            int size = 1;
            for (int v : sc) {
                size *= card[v];
            }
            double[] t = new double[size];
            for (int i = 0; i < size; i++) {
                t[i] = rnd.nextInt(10) == 0 ? 0.0 : 0.05 + rnd.nextDouble();
            }
            if (java.util.Arrays.stream(t).allMatch(x -> x == 0)) {
                t[0] = 0.5; // a table of zeros is refused by the builder
            }
            b.addFactor(sc, t);
        }
        return b.build();
    }

    static void randomizeMessages(MessageStore st, SplittableRandom rnd) {
        double[] m = new double[st.maxCard];
        for (int e = 0; e < st.edges; e++) {
            int c = st.card(e);
            for (int x = 0; x < c; x++) {
                m[x] = rnd.nextDouble() + 1e-3;
            }
            MessageStore.normalize(m, c);
            st.write(e, m);
        }
    }

    /** The sum-product message of edge e computed from the definition, by brute force over the factor's table. */
    static double[] reference(FactorGraph g, MessageStore st, int e) {
        int f = st.edgeFactor[e];
        int j = st.edgePos[e];
        int[] sc = g.scope(f);
        double[] t = g.table(f);
        double[] out = new double[g.cardinality(sc[j])];
        int[] x = new int[sc.length];
        for (int idx = 0; idx < t.length; idx++) {
            int rem = idx;
            for (int i = sc.length - 1; i >= 0; i--) {
                x[i] = rem % g.cardinality(sc[i]);
                rem /= g.cardinality(sc[i]);
            }
            double p = t[idx];
            for (int i = 0; i < sc.length; i++) {
                if (i == j) {
                    continue;
                }
                int u = sc[i];
                int[] fs = g.factorsOf(u);
                int[] ps = g.positionsOf(u);
                double prod = 1;
                for (int k = 0; k < fs.length; k++) {
                    if (fs[k] != f) {
                        prod *= st.msg[st.msgOff[g.edge(fs[k], ps[k])] + x[i]];
                    }
                }
                p *= prod;
            }
            out[x[j]] += p;
        }
        MessageStore.normalize(out, out.length);
        return out;
    }
}
