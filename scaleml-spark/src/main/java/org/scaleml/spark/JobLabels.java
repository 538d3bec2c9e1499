package org.scaleml.spark;

import static org.apache.spark.sql.functions.col;
import static org.scaleml.spark.JobData.FEATURES;
import static org.scaleml.spark.JobData.LABEL;
import static org.scaleml.spark.JobData.MAX_CLASSES;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.scaleml.spark.JobData.BadInput;
import org.scaleml.spark.JobData.Loaded;
import org.scaleml.train.data.LabelMap;

/**
 * The label side of {@link JobData}: turns the label column of the frames read into class indices. Labels that are
 * all non-negative integers are the indices as they are; otherwise (LIBSVM's {@code -1/+1}, other numbers, strings)
 * they are mapped as {@code scaleml train} maps them ({@link LabelMap}), on the executors through a map built on the
 * driver, and every test label must occur in the training data. Problems are {@link BadInput}s.
 *
 * <p>Used on the driver only; not thread-safe.
 */
final class JobLabels {
    private final String labelCol;

    /** @param labelCol the label column's name as the user gave it (for messages) */
    JobLabels(String labelCol) {
        this.labelCol = labelCol;
    }

    /** Maps the labels to class indices (see the class comment) and checks the test labels against the map. */
    Loaded labelled(Dataset<Row> train, Dataset<Row> test, String fmt, String testPath, String shape) {
        boolean strings = train.schema().apply(LABEL).dataType() instanceof StringType;
        if (!strings && !(train.schema().apply(LABEL).dataType() instanceof NumericType)) {
            throw new BadInput("label column '" + labelCol + "' is of type "
                    + train.schema().apply(LABEL).dataType().simpleString() + "; expected numbers or strings");
        }
        List<Object> distinct = distinct(train, "training");
        HashMap<Object, Double> map = new HashMap<>();
        String described;
        if (strings) {
            List<String> s = new ArrayList<>();
            for (Object o : distinct) {
                s.add((String) o);
            }
            s.sort(Comparator.naturalOrder());
            for (int i = 0; i < s.size(); i++) {
                map.put(s.get(i), (double) i);
            }
            described = describe(s);
        } else {
            double[] v = distinct.stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
            boolean indices = Arrays.stream(v).allMatch(x -> x >= 0 && x == Math.rint(x) && x < MAX_CLASSES);
            if (indices) {
                Dataset<Row> tr = train.select(col(FEATURES), col(LABEL).cast("double").as(LABEL));
                Dataset<Row> te = test == null ? null : test.select(col(FEATURES), col(LABEL).cast("double").as(LABEL));
                return new Loaded(tr, te, fmt, testPath, shape, null);
            }
            LabelMap lm;
            try {
                lm = LabelMap.infer(v);
            } catch (IllegalArgumentException e) {
                throw new BadInput("training labels: " + e.getMessage());
            }
            List<String> shown = new ArrayList<>();
            double[] keys = v.clone();
            Arrays.sort(keys);
            for (double x : keys) {
                map.put(x, (double) lm.classOf(x));
                shown.add(x + "=" + lm.classOf(x));
            }
            if (lm.isBinary()) { // either negative spelling, as scaleml train
                map.put(-1.0, 0.0);
                map.put(0.0, 0.0);
                map.put(1.0, 1.0);
            }
            described = String.join(", ", shown);
        }
        if (test != null) {
            for (Object o : distinct(test, "test")) {
                Object k = strings ? o : (Object) ((Number) o).doubleValue();
                if (!map.containsKey(k)) {
                    throw new BadInput("test label " + o + " does not occur in the training data");
                }
            }
        }
        return new Loaded(mapped(train, map, strings), test == null ? null : mapped(test, map, strings), fmt,
                testPath, shape, described);
    }

    private static String describe(List<String> sorted) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            out.add(sorted.get(i) + "=" + i);
        }
        return String.join(", ", out);
    }

    private static List<Object> distinct(Dataset<Row> d, String what) {
        List<Row> rows = d.select(LABEL).distinct().limit(MAX_CLASSES + 1).collectAsList();
        if (rows.size() > MAX_CLASSES) {
            throw new BadInput("the " + what + " data has more than " + MAX_CLASSES + " distinct labels");
        }
        List<Object> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.isNullAt(0)) {
                throw new BadInput("the " + what + " data has rows without a label");
            }
            out.add(r.get(0));
        }
        return out;
    }

    private static Dataset<Row> mapped(Dataset<Row> d, HashMap<Object, Double> map, boolean strings) {
        LabelUdf f = new LabelUdf(map, strings);
        UserDefinedFunction udf = org.apache.spark.sql.functions.udf(f, DataTypes.DoubleType);
        return d.select(col(FEATURES), udf.apply(col(LABEL)).as(LABEL));
    }

    /** Raw label to class index through a map built on the driver. */
    private static final class LabelUdf implements UDF1<Object, Double> {
        private static final long serialVersionUID = 1L;
        private final HashMap<Object, Double> map;
        private final boolean strings;

        LabelUdf(HashMap<Object, Double> map, boolean strings) {
            this.map = map;
            this.strings = strings;
        }

        @Override
        public Double call(Object raw) {
            if (raw == null) {
                return null;
            }
            return map.get(strings ? raw : (Object) ((Number) raw).doubleValue());
        }
    }
}
