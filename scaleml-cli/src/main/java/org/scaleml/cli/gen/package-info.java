/**
 * Specifications of generated inputs named where a file is expected, {@code gen:KIND:key=value,...}: {@link
 * org.scaleml.cli.gen.GeneratorSpec} parses them and reads typed values, so that every generator (graphs in
 * {@link org.scaleml.cli.graph.GeneratedGraph}, factor graphs in {@link org.scaleml.cli.bp.GeneratedModel}) gives
 * the same one-line errors naming the specification and the key.
 */
package org.scaleml.cli.gen;
