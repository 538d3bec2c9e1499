package org.scaleml.spark.bench;

import static org.scaleml.spark.bench.BenchReport.JSON;
import static org.scaleml.spark.bench.BenchReport.log;
import static org.scaleml.spark.bench.BenchReport.median;
import static org.scaleml.spark.bench.BenchReport.node;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ArrayNode;

import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.scaleml.spark.ScaleMLClassificationModel;
import org.scaleml.spark.ScaleMLClassifier;
import org.scaleml.train.optim.Optimizers;

/**
 * {@link SparkBench} mode {@code a9a}: ScaleML's {@code logreg} against MLlib's {@code LogisticRegression}, test
 * accuracy and fit seconds, with the Spark stages of each ScaleML fit (see {@link SparkBench} for the procedure).
 */
final class A9aBench extends BenchMode {
    A9aBench(SparkBench options, SparkSession spark, BenchReport report) {
        super(options, spark, report);
    }

    @Override
    void run(Dataset<Row> train, Dataset<Row> test) throws InterruptedException {
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        Supplier<ScaleMLClassifier> ours = () -> scaleml("logreg", epochs);
        Supplier<LogisticRegression> theirs = LogisticRegression::new;
        long w = System.nanoTime();
        ours.get().fit(train);
        theirs.get().fit(train);
        log("warm-up fits (one each, untimed): %.1f s", (System.nanoTime() - w) / 1e9);

        List<Double> sSec = new ArrayList<>();
        List<Double> sTrain = new ArrayList<>();
        List<Double> sAcc = new ArrayList<>();
        List<Double> mSec = new ArrayList<>();
        List<Double> mAcc = new ArrayList<>();
        List<Double> mIter = new ArrayList<>();
        StageTimes stages = new StageTimes();
        spark.sparkContext().addSparkListener(stages);
        for (int r = 1; r <= repeats; r++) {
            stages.drain();
            stages.clear();
            long t = System.nanoTime();
            ScaleMLClassificationModel m = ours.get().fit(train);
            double seconds = (System.nanoTime() - t) / 1e9;
            ArrayNode fitStages = stages.drain();
            double acc = accuracy.evaluate(m.transform(test));
            double tr = trainSeconds(m.summary());
            sSec.add(seconds);
            sTrain.add(tr);
            sAcc.add(acc);
            emit(node("a9a", "scaleml-logreg").put("repeat", r).put("epochs", epochs)
                    .put("optimizer", Optimizers.defaultFor("logreg")).put("seconds", seconds)
                    .put("trainSeconds", tr).put("fixedSeconds", seconds - tr).put("testAccuracy", acc)
                    .set("stages", fitStages));
            log("ScaleML logreg %d epochs: fit %.2f s (training %.2f s, rest %.2f s), test accuracy %.4f; stages %s",
                    epochs, seconds, tr, seconds - tr, acc, fitStages);

            t = System.nanoTime();
            LogisticRegressionModel lm = theirs.get().fit(train);
            seconds = (System.nanoTime() - t) / 1e9;
            acc = accuracy.evaluate(lm.transform(test));
            int iterations = lm.summary().totalIterations();
            mSec.add(seconds);
            mAcc.add(acc);
            mIter.add((double) iterations);
            emit(node("a9a", "mllib-logreg").put("repeat", r).put("iterations", iterations).put("seconds", seconds)
                    .put("testAccuracy", acc));
            log("MLlib LogisticRegression (defaults, %d iterations): fit %.2f s, test accuracy %.4f", iterations,
                    seconds, acc);
        }
        // Spark's fixed costs alone: one step of one epoch
        stages.drain();
        stages.clear();
        long t = System.nanoTime();
        ScaleMLClassificationModel one = scaleml("logreg", 1).setMaxStepsPerEpoch(1).fit(train);
        double oneSec = (System.nanoTime() - t) / 1e9;
        ArrayNode oneStages = stages.drain();
        spark.sparkContext().removeSparkListener(stages);
        emit(node("a9a", "scaleml-one-step").put("seconds", oneSec).put("trainSeconds", trainSeconds(one.summary()))
                .set("stages", oneStages));
        log("ScaleML fit of one step: %.2f s (training %.3f s); stages %s", oneSec, trainSeconds(one.summary()),
                oneStages);

        double ss = median(sSec);
        double ms = median(mSec);
        emit(node("a9a", "summary").put("repeats", repeats).put("scalemlSeconds", ss)
                .put("scalemlTrainSeconds", median(sTrain)).put("scalemlFixedSeconds", ss - median(sTrain))
                .put("scalemlAccuracy", median(sAcc)).put("mllibSeconds", ms).put("mllibAccuracy", median(mAcc))
                .put("mllibIterations", median(mIter)).put("scalemlOneStepSeconds", oneSec)
                .put("mllibOverScaleml", ms / ss));
        log("a9a medians of %d: ScaleML %.2f s (training %.2f s) accuracy %.4f; MLlib %.2f s accuracy %.4f; "
                + "MLlib/ScaleML time %.2fx", repeats, ss, median(sTrain), median(sAcc), ms, median(mAcc), ms / ss);
    }

    /**
     * Records the wall time of every Spark stage that completes (submission to completion on the driver), to show
     * where a fit's time outside the training steps goes.
     */
    static final class StageTimes extends SparkListener {
        private final List<String> names = new ArrayList<>();
        private final List<Double> seconds = new ArrayList<>();

        @Override
        public synchronized void onStageCompleted(SparkListenerStageCompleted event) {
            StageInfo i = event.stageInfo();
            if (i.submissionTime().isDefined() && i.completionTime().isDefined()) {
                String name = i.name();
                int at = name.indexOf(" at ");
                names.add((at > 0 ? name.substring(0, at) : name) + " (" + i.numTasks() + " tasks)");
                seconds.add(((Long) i.completionTime().get() - (Long) i.submissionTime().get()) / 1e3);
            }
        }

        synchronized void clear() {
            names.clear();
            seconds.clear();
        }

        /** The stages completed since {@link #clear}, once the listener bus has delivered them (waits up to 2 s). */
        ArrayNode drain() throws InterruptedException {
            int seen = -1;
            for (int i = 0; i < 20; i++) {
                Thread.sleep(100);
                synchronized (this) {
                    if (names.size() == seen) {
                        break;
                    }
                    seen = names.size();
                }
            }
            ArrayNode a = JSON.createArrayNode();
            synchronized (this) {
                for (int i = 0; i < names.size(); i++) {
                    a.addObject().put("stage", names.get(i)).put("seconds", seconds.get(i));
                }
            }
            return a;
        }
    }
}
