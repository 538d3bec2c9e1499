/**
 * The Spark MLlib peer baseline for ScaleML's training: {@link org.scaleml.spark.bench.MlpBaseline} fits
 * Spark's {@code MultilayerPerceptronClassifier} on Fashion-MNIST in local mode, on the same data, network shape
 * and cores as {@code scaleml-train}'s MLP, and prints fit time against test accuracy.
 *
 * <p>This module builds only with the Maven profile {@code spark} ({@code ./mvnw -Pspark ...}); it is a benchmark
 * harness, not a library, so everything in it is package-private except the entry point.
 */
package org.scaleml.spark.bench;
