/**
 * Distributed principal component analysis with quantized communication (Alimisis, Davies, Vandereycken,
 * Alistarh, NeurIPS 2021): {@link org.scaleml.train.pca.DistributedPca} finds the top-k principal subspace of a
 * data set whose rows are split over ranks, sending every message through a codec of {@code org.scaleml.comm.codec}
 * as a difference to what the receiver already reconstructed; {@link org.scaleml.train.pca.ExactPca} is the
 * sequential double-precision reference and {@link org.scaleml.train.pca.Subspace} measures principal angles.
 *
 * <p>Design choices across the package: bases are column-major {@code double[]} (d x k); all linear algebra that
 * decides convergence is in double, only messages are floats; the d x d eigen-decompositions use EJML; the fp32
 * baseline is the same algorithm with a lossless codec, so byte counts compare like with like.
 */
package org.scaleml.train.pca;
