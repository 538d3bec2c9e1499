/**
 * Small, dependency-free utilities that several ScaleML modules share: the SplitMix64 mixer and generator
 * ({@link org.scaleml.common.SplitMix64}), the escaping that keeps text quoted from input files on one
 * printable line ({@link org.scaleml.common.Printable}), the rounding of reported figures
 * ({@link org.scaleml.common.Decimals}) and the parsing of {@code name:key=value} specifications
 * ({@link org.scaleml.common.SpecOptions}). Its subpackage {@link org.scaleml.common.io} holds the
 * text scanner, compressed-input opener and format-exception base that every reader uses.
 *
 * <h2>What belongs here</h2>
 * A class belongs in this package when at least two modules need the very same function, it has no
 * dependency beyond the JDK, and it is small enough to be read in one sitting. Anything tied to one domain
 * (graphs, factor graphs, codecs, data sets) stays in its module, even when it looks general.
 *
 * <h2>Why a module rather than copies</h2>
 * The lowest module that needs these functions is {@code scaleml-concurrent}, a library of concurrent data
 * structures: putting message escaping there would give it a job it does not have. Copies in each module
 * drift apart (three escaping routines had already diverged), and functions whose outputs are pinned by
 * seeds and tests must stay bit-identical everywhere they are used. A module of its own, with no runtime
 * dependencies, keeps one definition each while every other module stays free of outside dependencies it
 * did not have before.
 *
 * <p>Classes here are {@code public final}, stateless or confined to one thread, and never change their
 * outputs: results elsewhere (shard assignments, generated graphs, codec payloads) depend on them bit for bit.
 */
package org.scaleml.common;
