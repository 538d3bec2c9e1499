package org.scaleml.spark.bench;

import static org.scaleml.spark.bench.BenchReport.array;
import static org.scaleml.spark.bench.BenchReport.log;
import static org.scaleml.spark.bench.BenchReport.median;
import static org.scaleml.spark.bench.BenchReport.node;
import static org.scaleml.spark.bench.BenchReport.round;
import static org.scaleml.spark.bench.BenchReport.tail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.comm.transport.TcpConfig;
import org.scaleml.comm.transport.TcpTransport;
import org.scaleml.spark.ScaleMLClassificationModel;
import org.scaleml.spark.TrainingSummary;
import org.scaleml.train.DataParallelTrainer;
import org.scaleml.train.EpochReport;
import org.scaleml.train.InProcessJob;
import org.scaleml.train.TrainSettings;
import org.scaleml.train.data.Datasets;
import org.scaleml.train.optim.Optimizers;

/**
 * {@link SparkBench} mode {@code overhead}: the same training through {@code fit} on Spark, through
 * {@link InProcessJob#train} and as threads over ScaleML's TCP transport without Spark, seconds per epoch of each
 * (see {@link SparkBench} for the procedure).
 */
final class OverheadBench extends BenchMode {
    private final Datasets.TrainTest data;

    /** @param data the data set the frames were made from, for the runs without Spark */
    OverheadBench(SparkBench options, SparkSession spark, BenchReport report, Datasets.TrainTest data) {
        super(options, spark, report);
        this.data = data;
    }

    @Override
    void run(Dataset<Row> train, Dataset<Row> test) throws InterruptedException {
        if (epochs < 2) {
            throw new IllegalArgumentException("overhead needs --epochs of at least 2 (epoch 1 is left out)");
        }
        TrainSettings settings = new TrainSettings("mlp", Optimizers.defaultFor("mlp"), "none", 1024, Map.of(), 32,
                epochs, 0, seed, null, 200, false);
        List<Double> sparkMed = new ArrayList<>();
        List<Double> localMed = new ArrayList<>();
        List<Double> tcpMed = new ArrayList<>();
        for (int r = 1; r <= repeats; r++) {
            long t = System.nanoTime();
            ScaleMLClassificationModel m = scaleml("mlp", epochs).setValidationData(test).fit(train);
            double fitSeconds = (System.nanoTime() - t) / 1e9;
            List<TrainingSummary.Epoch> se = m.summary().epochs();
            double[] sparkEpochs = se.stream().mapToDouble(TrainingSummary.Epoch::seconds).toArray();
            double sm = median(tail(sparkEpochs));
            sparkMed.add(sm);
            emit(node("overhead", "spark-fit").put("repeat", r).put("seconds", fitSeconds)
                    .put("epochSteps", se.get(0).epochSteps()).put("medianEpochSeconds", sm)
                    .put("validationAccuracy", m.summary().last().validationAccuracy())
                    .set("epochSeconds", array(sparkEpochs)));
            log("fit on local[%d], %d workers: %.1f s in all, epoch seconds %s, median of epochs 2..%d %.2f s, "
                    + "accuracy %.4f", cores, workers, fitSeconds, Arrays.toString(round(sparkEpochs)), epochs, sm,
                    m.summary().last().validationAccuracy());

            t = System.nanoTime();
            DataParallelTrainer.Result res = InProcessJob.train(settings, data.train(), data.test(), workers, 0,
                    new DataParallelTrainer.Listener() { });
            double localSeconds = (System.nanoTime() - t) / 1e9;
            double[] localEpochs = res.epochs().stream().mapToDouble(EpochReport::seconds).toArray();
            double lm = median(tail(localEpochs));
            localMed.add(lm);
            emit(node("overhead", "in-process").put("repeat", r).put("seconds", localSeconds)
                    .put("epochSteps", res.epochs().get(0).epochSteps()).put("medianEpochSeconds", lm)
                    .put("testAccuracy", res.epochs().get(res.epochs().size() - 1).testAccuracy())
                    .set("epochSeconds", array(localEpochs)));
            log("InProcessJob, %d workers: %.1f s in all, epoch seconds %s, median of epochs 2..%d %.2f s, "
                    + "accuracy %.4f; Spark/in-process %.2fx", workers, localSeconds,
                    Arrays.toString(round(localEpochs)), epochs, lm,
                    res.epochs().get(res.epochs().size() - 1).testAccuracy(), sm / lm);

            // control: the same ranks as threads of this JVM over ScaleML's TCP transport on loopback (what the
            // Spark tasks use), without Spark
            t = System.nanoTime();
            DataParallelTrainer.Result tr = tcpThreads(settings, data);
            double tcpSeconds = (System.nanoTime() - t) / 1e9;
            double[] tcpEpochs = tr.epochs().stream().mapToDouble(EpochReport::seconds).toArray();
            double cm = median(tail(tcpEpochs));
            tcpMed.add(cm);
            emit(node("overhead", "tcp-threads").put("repeat", r).put("seconds", tcpSeconds)
                    .put("epochSteps", tr.epochs().get(0).epochSteps()).put("medianEpochSeconds", cm)
                    .put("testAccuracy", tr.epochs().get(tr.epochs().size() - 1).testAccuracy())
                    .set("epochSeconds", array(tcpEpochs)));
            log("threads over TCP loopback, %d workers: %.1f s in all, epoch seconds %s, median of epochs 2..%d "
                    + "%.2f s; Spark/TCP threads %.2fx", workers, tcpSeconds, Arrays.toString(round(tcpEpochs)),
                    epochs, cm, sm / cm);
        }
        double s = median(sparkMed);
        double l = median(localMed);
        double c = median(tcpMed);
        emit(node("overhead", "summary").put("repeats", repeats).put("sparkEpochSeconds", s)
                .put("inProcessEpochSeconds", l).put("tcpThreadsEpochSeconds", c).put("ratio", s / l)
                .put("sparkOverTcpThreads", s / c).put("tcpThreadsOverInProcess", c / l));
        log("seconds per epoch (median over %d runs of the median of epochs 2..%d): Spark %.2f, in-process %.2f, "
                + "ratio %.2fx (target <= 1.3x); threads over TCP loopback without Spark %.2f (Spark/TCP threads "
                + "%.2fx)", repeats, epochs, s, l, s / l, c, s / c);
    }

    /** {@code workers} ranks as threads of this JVM over {@link TcpTransport} on 127.0.0.1; rank 0's result. */
    private DataParallelTrainer.Result tcpThreads(TrainSettings settings, Datasets.TrainTest data)
            throws InterruptedException {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        List<ServerSocketChannel> listeners = new ArrayList<>();
        List<InetSocketAddress> peers = new ArrayList<>();
        try {
            for (int r = 0; r < workers; r++) {
                ServerSocketChannel l = ServerSocketChannel.open();
                l.bind(new InetSocketAddress("127.0.0.1", 0));
                listeners.add(l);
                peers.add(InetSocketAddress.createUnresolved("127.0.0.1",
                        ((InetSocketAddress) l.getLocalAddress()).getPort()));
            }
        } catch (IOException e) {
            listeners.forEach(l -> {
                try {
                    l.close();
                } catch (IOException ignored) {
                    // closing after a failed bind
                }
            });
            throw new java.io.UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
        List<InProcessJob.RankOutcome<DataParallelTrainer.Result>> outs = new ArrayList<>();
        Thread[] ts = new Thread[workers];
        Object[] results = new Object[workers];
        Throwable[] errors = new Throwable[workers];
        for (int r = 0; r < workers; r++) {
            final int rank = r;
            ts[r] = new Thread(() -> {
                try (Communicator comm = new Communicator(TcpTransport.connect(rank, peers, secret,
                        TcpConfig.builder().build(), listeners.get(rank)))) {
                    results[rank] = new DataParallelTrainer(settings).run(comm, data.train(), data.test(),
                            new DataParallelTrainer.Listener() { });
                } catch (Throwable t) {
                    errors[rank] = t;
                }
            }, "bench-tcp-rank-" + r);
            ts[r].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        for (int r = 0; r < workers; r++) {
            outs.add(new InProcessJob.RankOutcome<>((DataParallelTrainer.Result) results[r], errors[r]));
        }
        return InProcessJob.firstResult(outs);
    }
}
