/**
 * Readers and writers of the UAI inference-competition formats: models ({@link org.scaleml.bp.io.UaiReader},
 * {@code .uai}, MARKOV and BAYES), evidence ({@link org.scaleml.bp.io.EvidenceReader}, {@code .evid}) and marginal
 * results ({@link org.scaleml.bp.io.MarWriter}, {@link org.scaleml.bp.io.MarReader}, {@code MAR}).
 *
 * <p>Choices that hold across the package: every reader streams its input once through the shared
 * {@link org.scaleml.common.io.TextScanner} as a token stream opened by {@link org.scaleml.bp.io.ModelText}
 * (whitespace-separated tokens, line and token position tracked, gzip when the file starts with the gzip magic
 * bytes); malformed input of any kind stops with a {@link org.scaleml.bp.io.ModelFormatException} whose message
 * reads {@code file:line: token k: reason}; no declared count allocates memory on its own (arrays grow as data
 * arrives, and hard limits such as 2^28 table entries apply); readers and writers are stateless static methods,
 * safe from any thread.
 */
package org.scaleml.bp.io;
