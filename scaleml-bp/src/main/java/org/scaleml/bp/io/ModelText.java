package org.scaleml.bp.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.scaleml.common.io.CompressedInput;
import org.scaleml.common.io.Compression;
import org.scaleml.common.io.InputErrors;
import org.scaleml.common.io.TextScanner;

/**
 * Opens the text inputs of this library's readers (models, evidence, marginals, alist codes) as a token stream of
 * the shared {@link TextScanner}: whitespace-separated tokens, lines irrelevant, each token's line and position
 * kept. Malformed input throws {@link ModelFormatException} ({@code file:line: token k: reason}); a failed or
 * corrupt read throws an {@link UncheckedIOException} ({@code file:line: read failed: reason}). Files are
 * gunzipped when they start with the gzip magic bytes; streams are read as given. Stateless.
 */
public final class ModelText {
    private ModelText() {
    }

    /** The error policy for the input labelled {@code name} (the path as given, or a label such as {@code <stream>}). */
    public static InputErrors<RuntimeException> errors(String name) {
        return new InputErrors<>() {
            @Override
            public RuntimeException malformed(long line, int token, String detail) {
                return new ModelFormatException(name, line, token, detail);
            }

            @Override
            public RuntimeException corrupt(long line, Compression compression, IOException cause) {
                return failed(line, cause);
            }

            @Override
            public RuntimeException failed(long line, IOException cause) {
                return new UncheckedIOException(name + ":" + line + ": read failed: " + cause.getMessage(), cause);
            }
        };
    }

    /** Opens {@code file} (gzip or plain text, told by its first bytes); errors are labelled with the path as given. */
    public static TextScanner<RuntimeException> open(Path file) throws IOException {
        InputErrors<RuntimeException> errors = errors(file.toString());
        return new TextScanner<>(CompressedInput.GZIP_ONLY.open(file, errors), errors);
    }

    /** Scans {@code in} as plain text under the label {@code name}; closing the scanner closes {@code in}. */
    public static TextScanner<RuntimeException> scan(InputStream in, String name) {
        return new TextScanner<>(in, Compression.PLAIN, errors(name));
    }
}
