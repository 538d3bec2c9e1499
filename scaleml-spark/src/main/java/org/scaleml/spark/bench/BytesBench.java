package org.scaleml.spark.bench;

import static org.scaleml.spark.bench.BenchReport.log;
import static org.scaleml.spark.bench.BenchReport.median;
import static org.scaleml.spark.bench.BenchReport.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.scaleml.spark.ScaleMLClassificationModel;
import org.scaleml.spark.TrainingSummary;

/**
 * {@link SparkBench} mode {@code bytes}: bytes per step per rank of ScaleML's {@code mlp} for each of
 * {@link #CODECS}, and their reduction against {@code none} (see {@link SparkBench} for the procedure).
 */
final class BytesBench extends BenchMode {
    static final String[] CODECS = {"none", "qsgd:bits=4,norm=max", "ef:topk:ratio=0.01"};

    private final int maxSteps;

    BytesBench(SparkBench options, SparkSession spark, BenchReport report) {
        super(options, spark, report);
        this.maxSteps = options.maxSteps;
    }

    @Override
    void run(Dataset<Row> train, Dataset<Row> test) {
        Map<String, List<Double>> perCodec = new LinkedHashMap<>();
        for (int r = 1; r <= repeats; r++) {
            for (String codec : CODECS) {
                long t = System.nanoTime();
                ScaleMLClassificationModel m = scaleml("mlp", 1).setMaxStepsPerEpoch(maxSteps).setCodec(codec)
                        .fit(train);
                double seconds = (System.nanoTime() - t) / 1e9;
                TrainingSummary.Epoch e = m.summary().last();
                perCodec.computeIfAbsent(codec, k -> new ArrayList<>()).add((double) e.bytesPerStep());
                emit(node("bytes", "fit").put("repeat", r).put("codec", codec).put("steps", e.epochSteps())
                        .put("bytesPerStep", e.bytesPerStep()).put("bytesSentPerRank", e.bytesSentPerRank())
                        .put("seconds", seconds).put("trainSeconds", e.seconds()));
                log("codec %-22s %d steps: %,d bytes per step per rank (fit %.1f s, training %.2f s)", codec,
                        e.epochSteps(), e.bytesPerStep(), seconds, e.seconds());
            }
        }
        double none = median(perCodec.get("none"));
        ObjectNode s = node("bytes", "summary").put("repeats", repeats).put("steps", maxSteps);
        for (String codec : CODECS) {
            double b = median(perCodec.get(codec));
            s.putObject(codec).put("bytesPerStep", b).put("reduction", none / b);
            log("%-22s %,.0f bytes per step per rank, %.1fx less than none", codec, b, none / b);
        }
        emit(s);
    }
}
