/**
 * Belief-propagation inputs for the command line, without picocli: {@link org.scaleml.cli.bp.GeneratedModel}
 * builds the factor graph a {@code gen:KIND:key=value,...} specification names, where {@code bp} and {@code bench
 * bp} otherwise read a UAI model file. User-fixable problems are one-line {@link
 * java.lang.IllegalArgumentException}s naming the specification and the key.
 */
package org.scaleml.cli.bp;
