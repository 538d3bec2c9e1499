/**
 * Binary image denoising with belief propagation: {@link org.scaleml.bp.image.BinaryImage} reads and thresholds PNGs
 * (javax.imageio), adds seeded flip noise and writes results; {@link org.scaleml.bp.image.DenoiseModel} builds the
 * Ising-prior grid {@link org.scaleml.bp.FactorGraph} from a noisy image and turns marginals into a MAP-per-pixel image.
 * No inference happens here: run any BP engine on {@code DenoiseModel.graph()}.
 */
package org.scaleml.bp.image;
