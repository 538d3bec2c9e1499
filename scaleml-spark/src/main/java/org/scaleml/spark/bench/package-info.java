/**
 * Benchmarks of ScaleML on Spark (not a library; run through {@code scripts/spark-bench.sh}):
 * {@link org.scaleml.spark.bench.SparkBench} measures {@code ScaleMLClassifier} on {@code local[2]} against Spark
 * MLlib's estimators and against ScaleML's in-process training, and {@link org.scaleml.spark.bench.MlpBaseline} fits
 * Spark's {@code MultilayerPerceptronClassifier} alone on Fashion-MNIST (fit time against test accuracy). Spark is
 * a {@code provided} dependency of this module, so these classes run with Spark's jars on the class path
 * ({@code scaleml-spark/target/classpath.txt}).
 */
package org.scaleml.spark.bench;
