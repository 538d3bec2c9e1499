package org.scaleml.bp.engine;

import java.nio.file.Path;
import java.util.Arrays;

import org.scaleml.bp.BpEngine;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.ldpc.AlistReader;
import org.scaleml.bp.ldpc.AwgnChannel;
import org.scaleml.bp.ldpc.LdpcFactorGraph;
import org.scaleml.bp.ldpc.ParityCheckCode;

/**
 * Every BP engine on LDPC decoding factor graphs (not a unit test): for each of {@code frames} noisy all-zero
 * frames of a code at an Eb/N0, the generic engines decode the factor graph of {@link LdpcFactorGraph}; prints per
 * engine the median time and updates over the frames, how many runs converged, and the bit errors of the
 * hard decisions. Run after {@code ./mvnw -q -o test -pl scaleml-bp}:
 *
 * <pre>
 * java -cp scaleml-bp/target/classes:scaleml-bp/target/test-classes:$CONCURRENT_JAR:$SCHED_JAR \
 *     org.scaleml.bp.engine.LdpcBpMeasure ../shared/data/ldpc/MACKAY_504_1008.alist 2.5 5 2
 * </pre>
 * Arguments: alist file, Eb/N0 in dB, frames, threads. Epsilon 1e-5, update cap 1000 per edge.
 */
public final class LdpcBpMeasure {
    public static void main(String[] args) throws Exception {
        ParityCheckCode code = AlistReader.read(Path.of(args[0]));
        double ebN0 = Double.parseDouble(args[1]);
        int frames = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        FactorGraph[] graphs = new FactorGraph[frames];
        for (int f = 0; f < frames; f++) {
            AwgnChannel ch = AwgnChannel.ofEbN0Db(ebN0, code.designRate(), 1000 + f);
            graphs[f] = LdpcFactorGraph.build(code, ch.transmitLlr(new int[code.n()]));
        }
        System.out.println("== " + args[0] + " at " + ebN0 + " dB, " + frames + " frames, " + graphs[0] + ", threads="
                + threads);
        for (int warm = 0; warm < 2; warm++) {
            for (String name : BpEngines.names()) {
                BpEngine e = BpEngines.create(name);
                double[] ms = new double[frames];
                long[] ups = new long[frames];
                int converged = 0;
                long bitErrors = 0;
                for (int f = 0; f < frames; f++) {
                    BpOptions o = BpOptions.defaults().withThreads(threads)
                            .withMaxUpdates(Math.max(1_000_000L, 1000L * graphs[f].edges()));
                    BpResult r = e.run(graphs[f], o);
                    ms[f] = r.millis();
                    ups[f] = r.updates();
                    converged += r.converged() ? 1 : 0;
                    for (int v = 0; v < code.n(); v++) {
                        bitErrors += r.marginals()[v][1] > 0.5 ? 1 : 0; // all-zero codeword sent
                    }
                }
                if (warm == 1) {
                    Arrays.sort(ms);
                    Arrays.sort(ups);
                    System.out.printf("%-17s median %8.1f ms  updates %,12d  converged %d/%d  bit errors %d%n", name,
                            ms[frames / 2], ups[frames / 2], converged, frames, bitErrors);
                }
            }
        }
    }
}
