package org.scaleml.spark.bench;

import java.io.IOException;
import java.nio.file.Path;

/** A malformed or missing IDX file; the message starts with the file name. */
final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    IdxFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
