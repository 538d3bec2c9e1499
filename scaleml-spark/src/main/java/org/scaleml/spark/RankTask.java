package org.scaleml.spark;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.spark.BarrierTaskContext;
import org.apache.spark.BarrierTaskInfo;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.comm.transport.HybridTransport;
import org.scaleml.comm.transport.TcpConfig;
import org.scaleml.comm.transport.TcpTransport;
import org.scaleml.comm.transport.Transport;
import org.scaleml.train.CheckpointStore;
import org.scaleml.train.DataParallelTrainer;
import org.scaleml.train.EpochReport;
import org.scaleml.train.data.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The body of one barrier task: one rank of the training job. Serializable; shipped to the executors in the stage's
 * closure.
 *
 * <p>Steps: read the partition into a data set ({@link Parts}); bind a listener on the executor's host (port 0 or
 * the first free port of the configured range); one {@link BarrierTaskContext#allGather} of {@code host:port}
 * (the only Spark rendezvous: it costs about a second); connect ScaleML's authenticated TCP transport to every peer;
 * train with {@link DataParallelTrainer#runOnPart}; rank 0 returns a {@link RankResult}, the others nothing.
 *
 * <p><b>Watchdog.</b> When one barrier task fails, Spark 4.2 marks its siblings killed but does not unblock a thread
 * waiting in a socket call, so a rank blocked in a collective would hold the stage (and its retry) until its own
 * time limit. A daemon thread polls {@code TaskContext.isInterrupted()} every 100 ms; once set, it aborts and closes
 * the transport (every blocked receive and send then fails at once) and interrupts the task thread.
 */
final class RankTask extends AbstractFunction1<Iterator<Row>, Iterator<RankResult>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RankTask.class);
    /** Parameters above this size are written to the run's directory instead of travelling as a task result. */
    static final long MAX_RESULT_PARAMS_BYTES = 64L << 20;

    private final JobConfig cfg;
    private final String featuresCol;
    private final String labelCol;
    private final Broadcast<DataHolder> validation;
    /** Rank 0 keeps the run's completed steps here; executors' heartbeats carry it to the driver's progress. */
    private final LongAccumulator steps;

    RankTask(JobConfig cfg, String featuresCol, String labelCol, Broadcast<DataHolder> validation,
             LongAccumulator steps) {
        this.cfg = cfg;
        this.steps = steps;
        this.featuresCol = featuresCol;
        this.labelCol = labelCol;
        this.validation = validation;
    }

    @Override
    public Iterator<RankResult> apply(Iterator<Row> rows) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        int attempt = ctx.stageAttemptNumber();
        Dataset part = Parts.read("part-" + rank, CollectionConverters.asJava(rows), featuresCol, labelCol,
                cfg.features, cfg.classes, cfg.shape);
        if (part.size() == 0) {
            throw new IllegalStateException("rank " + rank + " of run " + cfg.runId + ": its partition is empty");
        }
        Dataset test = validation == null ? Dataset.dense("no-validation", new float[0], new int[0], cfg.features,
                cfg.classes, cfg.shape) : validation.value().toDataset();
        BarrierTaskInfo[] infos = ctx.getTaskInfos();
        String host = hostOf(infos[rank].address());
        ServerSocketChannel listener = bind(host, rank);
        String[] all;
        try {
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            all = ctx.allGather((host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + " "
                    + SharedNetworks.JVM);
        } catch (IOException | RuntimeException e) {
            closeQuietly(listener);
            throw new IllegalStateException("rank " + rank + ": rendezvous failed: " + e.getMessage(), e);
        }
        List<InetSocketAddress> peers = new ArrayList<>(all.length);
        boolean[] mine = new boolean[all.length]; // ranks in this JVM
        int inJvm = 0;
        for (int r = 0; r < all.length; r++) {
            String a = all[r];
            int space = a.lastIndexOf(' ');
            mine[r] = cfg.sharedMemory && a.substring(space + 1).equals(SharedNetworks.JVM);
            inJvm += mine[r] ? 1 : 0;
            String addr = a.substring(0, space);
            int colon = addr.lastIndexOf(':');
            peers.add(InetSocketAddress.createUnresolved(hostOf(addr), Integer.parseInt(addr.substring(colon + 1))));
        }
        // ranks in this JVM exchange frames through memory, the others over TCP (all TCP if this rank is alone here)
        SharedNetworks.Member member = null;
        Transport transport;
        String how;
        if (inJvm > 1) {
            member = SharedNetworks.join(cfg.runId + "#" + cfg.fitNonce + "#" + attempt + "#" + SharedNetworks.JVM,
                    rank, all.length, cfg.timeoutMillis);
        }
        if (inJvm == all.length && member != null) {
            closeQuietly(listener);
            transport = member.transport();
            how = "every rank in this JVM: in-process network";
        } else {
            TcpConfig tc = TcpConfig.builder().timeout(Duration.ofMillis(cfg.timeoutMillis))
                    .connectTimeout(Duration.ofMillis(cfg.connectTimeoutMillis)).build();
            boolean hybrid = member != null;
            TcpTransport tcp;
            try {
                tcp = TcpTransport.connect(rank, peers, cfg.secret, tc, listener, r -> !hybrid || !mine[r]);
            } catch (RuntimeException e) {
                if (member != null) {
                    member.fail();
                    member.close();
                }
                throw new IllegalStateException("rank " + rank + " of run " + cfg.runId + " (" + host
                        + ") could not connect to its peers " + peers + ": " + e.getMessage(), e);
            }
            transport = hybrid ? new HybridTransport(member.transport(), tcp, r -> mine[r]) : tcp;
            how = hybrid ? inJvm + " ranks in this JVM through memory, TCP to the others " + peers : "TCP to " + peers;
        }
        LOG.info("ScaleML run {} rank {}: {}", cfg.runId, rank, how);
        Thread self = Thread.currentThread();
        Transport watched = transport;
        Thread watchdog = new Thread(() -> watch(ctx, watched, self), "scaleml-spark-watchdog-r" + rank);
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            return train(ctx, rank, attempt, transport, part, test);
        } catch (RuntimeException | Error e) {
            if (member != null) {
                member.fail();
            }
            throw e;
        } finally {
            watchdog.interrupt();
            if (member != null) {
                member.close();
            }
        }
    }

    private Iterator<RankResult> train(BarrierTaskContext ctx, int rank, int attempt, Transport transport,
                                       Dataset part, Dataset test) {
        try (Communicator comm = new Communicator(transport)) {
            if (attempt == 0 && rank == cfg.hangRank) { // test hook: a rank stuck in socket I/O
                comm.receive(rank, comm.newTagBlock(), TimeUnit.HOURS.toNanos(1));
            }
            if (attempt == 0 && rank == cfg.failRank && cfg.failStep == 0) {
                throw new IllegalStateException("injected failure of rank " + rank + " before training");
            }
            CheckpointStore store = cfg.checkpointDir == null ? null
                    : new HadoopCheckpointStore(cfg.checkpointDir, SparkHadoopUtil.get().conf());
            DataParallelTrainer trainer = new DataParallelTrainer(cfg.settings(), store);
            DataParallelTrainer.Result r = trainer.runOnPart(comm, part, test, new Progress(rank, attempt));
            if (rank != 0) {
                return CollectionConverters.asScala(Collections.<RankResult>emptyIterator());
            }
            List<TrainingSummary.Epoch> epochs = new ArrayList<>();
            int first = r.epochs().isEmpty() ? cfg.epochs + 1 : r.epochs().get(0).epoch();
            if (cfg.checkpointDir != null) { // epochs an earlier stage attempt finished
                for (int e = 1; e < first; e++) {
                    TrainingSummary.Epoch earlier = readEpoch(e);
                    if (earlier != null) {
                        epochs.add(earlier);
                    }
                }
            }
            for (EpochReport e : r.epochs()) {
                epochs.add(toEpoch(e));
            }
            TrainingSummary summary = new TrainingSummary(cfg.runId, cfg.workers, r.plan(), links(transport), attempt + 1,
                    epochs);
            float[] params = r.params();
            String path = null;
            if (4L * params.length > MAX_RESULT_PARAMS_BYTES && cfg.checkpointDir != null) {
                path = cfg.checkpointDir + "/final-params.bin";
                writeParams(path, params);
                params = null;
            }
            return CollectionConverters.asScala(List.of(new RankResult(params, path, summary, attempt)).iterator());
        } catch (IOException e) {
            throw new IllegalStateException("rank " + rank + " of run " + cfg.runId + ": " + e.getMessage(), e);
        }
    }

    /** The rank-0 listener: progress into the executor's log, and the failure hook of the tests. */
    private final class Progress implements DataParallelTrainer.Listener {
        private final int rank;
        private final int attempt;

        Progress(int rank, int attempt) {
            this.rank = rank;
            this.attempt = attempt;
        }

        @Override
        public void started(String plan, int stepsPerEpoch, long totalSteps, long startStep) {
            LOG.info("ScaleML run {} (stage attempt {}): {} workers, {} steps per epoch, {} steps{}; {}", cfg.runId,
                    attempt, cfg.workers, stepsPerEpoch, totalSteps,
                    startStep > 0 ? ", resumed from step " + startStep : "", plan);
            steps.add(startStep);
        }

        @Override
        public void step(int epoch, int stepInEpoch, int stepsPerEpoch, double loss) {
            long step = (long) (epoch - 1) * stepsPerEpoch + stepInEpoch;
            steps.add(1);
            if (attempt == 0 && rank == cfg.failRank && cfg.failStep > 0 && step == cfg.failStep) {
                throw new IllegalStateException("injected failure of rank " + rank + " after step " + step);
            }
        }

        @Override
        public void epoch(EpochReport r) {
            if (cfg.checkpointDir != null) {
                writeEpoch(toEpoch(r));
            }
            LOG.info("ScaleML run {}: epoch {}: loss {}, validation accuracy {}, {} s, {} bytes per rank",
                    cfg.runId, r.epoch(), r.trainLoss(), r.testAccuracy(), r.seconds(), r.bytesSentPerRank());
        }
    }

    private static TrainingSummary.Epoch toEpoch(EpochReport e) {
        return new TrainingSummary.Epoch(e.epoch(), e.steps(), e.epochSteps(), e.trainLoss(), e.testAccuracy(),
                e.seconds(), e.elapsedSeconds(), e.bytesSentPerRank(), e.totalBytesSentPerRank(), e.stepsPerSecond(),
                e.paramsIdentical());
    }

    private org.apache.hadoop.fs.Path epochFile(int epoch) {
        return new org.apache.hadoop.fs.Path(cfg.checkpointDir, "epoch-" + epoch + ".report");
    }

    /** Keeps an epoch's report beside the checkpoints, so that a retried attempt's summary has every epoch. */
    private void writeEpoch(TrainingSummary.Epoch e) {
        org.apache.hadoop.fs.Path p = epochFile(e.epoch());
        try {
            org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(SparkHadoopUtil.get().conf());
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(fs.create(p, true))) {
                out.writeObject(e);
            }
        } catch (IOException ex) {
            LOG.warn("ScaleML run {}: cannot keep the report of epoch {} in {}: {}", cfg.runId, e.epoch(), p,
                    ex.getMessage());
        }
    }

    private TrainingSummary.Epoch readEpoch(int epoch) {
        org.apache.hadoop.fs.Path p = epochFile(epoch);
        try {
            org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(SparkHadoopUtil.get().conf());
            if (!fs.exists(p)) {
                return null;
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(fs.open(p))) {
                in.setObjectInputFilter(info -> info.serialClass() == null
                        || info.serialClass() == TrainingSummary.Epoch.class ? java.io.ObjectInputFilter.Status.ALLOWED
                        : java.io.ObjectInputFilter.Status.REJECTED);
                return (TrainingSummary.Epoch) in.readObject();
            }
        } catch (IOException | ClassNotFoundException | ClassCastException ex) {
            LOG.warn("ScaleML run {}: cannot read the report of epoch {} from {}: {}", cfg.runId, epoch, p,
                    ex.getMessage());
            return null;
        }
    }

    private void writeParams(String path, float[] params) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(SparkHadoopUtil.get().conf());
        try (OutputStream o = fs.create(p, true); DataOutputStream out = new DataOutputStream(o)) {
            ByteBuffer bb = ByteBuffer.allocate(4 * params.length);
            bb.asFloatBuffer().put(params);
            out.writeInt(params.length);
            out.write(bb.array());
        }
    }

    /** Binds the rank's listener on the executor's address: port 0, or the first free port of the range. */
    private ServerSocketChannel bind(String host, int rank) {
        InetAddress addr;
        try {
            addr = InetAddress.getByName(host);
        } catch (IOException e) {
            throw new IllegalStateException("rank " + rank + ": cannot resolve the executor's address " + host, e);
        }
        IOException last = null;
        for (int port = cfg.portFrom; port <= cfg.portTo; port++) {
            ServerSocketChannel s = null;
            try {
                s = ServerSocketChannel.open();
                s.bind(new InetSocketAddress(addr, port), Math.max(50, cfg.workers));
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                last = e;
            }
        }
        throw new IllegalStateException("rank " + rank + ": no free port to listen on at " + host + " in "
                + (cfg.portFrom == 0 ? "the ephemeral range" : cfg.portFrom + "-" + cfg.portTo) + ": "
                + (last == null ? "empty range" : last.getMessage()), last);
    }

    private static void watch(BarrierTaskContext ctx, Transport transport, Thread task) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (ctx.isInterrupted()) {
                    String why = ctx.getKillReason().isDefined() ? ctx.getKillReason().get() : "killed";
                    LOG.warn("ScaleML rank {}: the task was killed ({}); aborting its connections", ctx.partitionId(),
                            why);
                    transport.abort("the Spark task was killed: " + why);
                    transport.close();
                    task.interrupt();
                    return;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            // the task ended
        }
    }

    /** How {@code t} reaches the other ranks, for the summary. */
    private static String links(Transport t) {
        return t instanceof HybridTransport ? "memory+tcp" : t instanceof TcpTransport ? "tcp" : "memory";
    }

    /** The host of a task's address ({@code host:port}, {@code [v6]:port} or a bare host). */
    static String hostOf(String address) {
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            return end > 0 ? address.substring(1, end) : address;
        }
        int colon = address.indexOf(':');
        return colon >= 0 && colon == address.lastIndexOf(':') ? address.substring(0, colon) : address;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // nothing to do
            }
        }
    }
}
