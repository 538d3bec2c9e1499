package org.scaleml.common.io;

import java.io.IOException;

/**
 * How a reader reports problems: builds the exception for each kind of failure, naming the input its own way.
 * {@link TextScanner} and {@link CompressedInput} call it only on failure; they {@code throw} what it returns.
 * Each module supplies one (the graph readers return {@code GraphFormatException}s, the factor-graph readers
 * unchecked {@code ModelFormatException}s, the data-set readers {@code DatasetFormatException}s).
 *
 * @param <E> the exception type the reader throws (use {@link RuntimeException} for unchecked ones)
 */
public interface InputErrors<E extends Exception> {
    /**
     * Malformed input.
     *
     * @param line   1-based line, or 0 if the problem concerns the whole input
     * @param token  1-based position of the offending token on its line, or 0 if none is meant
     * @param detail what was wrong
     */
    E malformed(long line, int token, String detail);

    /**
     * The decompressor reported truncated or corrupt data ({@link Compression#isCorruption}).
     *
     * @param line        the line being read, or 0 when the stream's header was bad at opening
     * @param compression the stream's compression
     * @param cause       the decompressor's exception
     */
    E corrupt(long line, Compression compression, IOException cause);

    /**
     * Reading failed for another reason (a disk error, say).
     *
     * @param line  the line being read
     * @param cause the failure
     */
    E failed(long line, IOException cause);
}
