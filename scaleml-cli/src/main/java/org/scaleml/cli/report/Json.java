package org.scaleml.cli.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import com.google.gson.stream.JsonWriter;

/** One JSON object as one line of text, for the commands' {@code --json} output (written with gson's writer). */
public final class Json {
    private Json() {
    }

    /** Writes the members of one object. */
    @FunctionalInterface
    public interface Body {
        void write(JsonWriter w) throws IOException;
    }

    /** The object whose members {@code body} writes, without a line break. */
    public static String object(Body body) {
        StringWriter sw = new StringWriter();
        try (JsonWriter w = new JsonWriter(sw)) {
            w.beginObject();
            body.write(w);
            w.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return sw.toString();
    }
}
