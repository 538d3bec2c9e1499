/**
 * Reading text input, shared by every reader in the project (graph, factor-graph and data-set formats): one
 * byte-level {@link org.scaleml.common.io.TextScanner}, one opener that recognises compression by magic bytes
 * ({@link org.scaleml.common.io.CompressedInput}, {@link org.scaleml.common.io.Compression}), and one base type
 * for malformed input, {@link org.scaleml.common.io.InputFormatException} ({@code file:line: what}).
 *
 * <h2>Design choices</h2>
 * <ul>
 *   <li><b>Errors belong to the reader.</b> The scanner and opener never build an exception themselves: they
 *       call the reader's {@link org.scaleml.common.io.InputErrors}, so each module keeps its exception type and
 *       its exact messages (the graph readers throw {@code GraphFormatException}, the data-set readers
 *       {@code DatasetFormatException}, both {@code InputFormatException}s; the factor-graph readers throw
 *       {@code ModelFormatException}, an {@link java.lang.IllegalArgumentException} by their published contract,
 *       which therefore cannot share the base class).</li>
 *   <li><b>No per-token objects on hot paths.</b> Integers are parsed straight from the byte buffer; strings are
 *       made only where the format needs text (a header word, a floating-point number, a CSV line).</li>
 *   <li><b>xz through a hook, not a dependency.</b> This module has no runtime dependencies, and only the graph
 *       readers take xz input. So the opener knows gzip (JDK) and recognises bzip2, zstd and zip in order to
 *       refuse them clearly, and a module adds a format with {@link org.scaleml.common.io.Compression#of}: the
 *       graph module adds xz (org.tukaani:xz) that way. A reader that does not want a format simply does not
 *       list it (the data-set readers use {@link org.scaleml.common.io.CompressedInput#GZIP_ONLY}).</li>
 *   <li><b>Compression by content, never by name.</b> A gzip file named {@code .txt} is read, and a plain file
 *       named {@code .gz} is read as text.</li>
 * </ul>
 * A scanner is confined to one thread; the opener, compressions and exceptions are immutable.
 */
package org.scaleml.common.io;
