package org.scaleml.spark;

import java.io.Serializable;

import org.scaleml.train.data.Dataset;

/** A {@link Dataset} in serializable form, to broadcast (the validation data) or ship; arrays are shared, not copied. */
final class DataHolder implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final int features;
    private final int classes;
    private final int[] shape;
    private final float[] dense;
    private final long[] rowStart;
    private final int[] columns;
    private final float[] values;
    private final int[] labels;

    DataHolder(Dataset d) {
        this.name = d.name();
        this.features = d.features();
        this.classes = d.classes();
        this.shape = d.shape();
        this.dense = d.dense();
        this.rowStart = d.rowStart();
        this.columns = d.columns();
        this.values = d.values();
        this.labels = d.labels();
    }

    Dataset toDataset() {
        return dense != null || rowStart == null ? Dataset.dense(name, dense == null ? new float[0] : dense, labels,
                features, classes, shape) : Dataset.sparse(name, rowStart, columns, values, labels, features, classes);
    }
}
