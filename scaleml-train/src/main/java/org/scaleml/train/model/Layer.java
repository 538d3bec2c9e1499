package org.scaleml.train.model;

/**
 * A named slice {@code [offset, offset + length)} of a model's flat parameter vector, e.g. {@code fc1.weight}.
 * Codecs and collectives work per layer through these slices without knowing the model.
 */
public record Layer(String name, int offset, int length) {
    public Layer {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("layer " + name + ": negative offset or length");
        }
    }

    public int end() {
        return offset + length;
    }
}
