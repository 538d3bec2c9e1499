package org.scaleml.train.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.scaleml.train.data.Dataset;

/**
 * Creates models from specification strings, the form used on the command line and recorded in checkpoints.
 *
 * <h2>Syntax</h2>
 * <pre>
 *   spec    := name [ ':' option ( ',' option )* ]
 *   option  := key '=' value
 * </pre>
 * Names and keys are case-insensitive; whitespace around tokens is ignored; each key may appear once; omitted
 * keys take their defaults. The models:
 * <ul>
 *   <li>{@code logreg} binary logistic regression (2 classes, labels 0/1); no options.</li>
 *   <li>{@code softmax} multiclass linear (multinomial logistic) regression; no options.</li>
 *   <li>{@code mlp} multilayer perceptron: {@code hidden=256-128} (hidden widths joined by '-', default
 *       {@code 256-128}), {@code act=relu|tanh|sigmoid} (default {@code relu}); e.g.
 *       {@code mlp:hidden=512-256-128,act=tanh}.</li>
 *   <li>{@code cnn} two 5x5 convolution + max-pool blocks and two fully connected layers for
 *       {@code {channels, height, width}} images: {@code c1=16}, {@code c2=32} (channels of the convolutions),
 *       {@code fc=128} (width of the hidden fully connected layer); e.g. {@code cnn:c1=8,c2=16,fc=64}.</li>
 * </ul>
 * A model's {@link Model#spec()} is the canonical form of its specification (every option spelled out, e.g.
 * {@code mlp:hidden=256-128,act=relu}); creating a model from it again gives the same architecture.
 *
 * <p>Errors (an unknown name or key, a malformed or out-of-range value, a shape or class count the model cannot
 * take) are {@link IllegalArgumentException}s whose message names what is wrong and what is accepted.
 *
 * <p><b>Thread safety.</b> Stateless; safe from any thread. <b>Complexity.</b> Linear in the spec's length.
 */
public final class Models {
    /*
     * Parsing is a single split: the name before the first ':', then comma-separated key=value pairs collected
     * into an insertion-ordered map (rejecting duplicates and empty pieces), then per model a whitelist of keys
     * checked before any value is read, so a typo in a key is reported as a key, not as a missing default.
     */

    private static final List<String> NAMES = List.of("logreg", "softmax", "mlp", "cnn");
    private static final int MAX_WIDTH = 1 << 20;

    private Models() {
    }

    /** The model names, in the order the help lists them. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * A model for inputs of the given feature shape ({@code {features}}, or {@code {channels, height, width}} for
     * images) and number of classes.
     *
     * @throws IllegalArgumentException if the spec is malformed or the model cannot take this shape or these
     *                                  classes
     */
    public static Model create(String spec, int[] shape, int classes) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty model specification; accepted names: " + String.join(", ", NAMES)
                    + " (e.g. mlp:hidden=256-128,act=relu)");
        }
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("model " + spec + ": no input shape given");
        }
        long features = 1;
        for (int s : shape) {
            if (s <= 0) {
                throw new IllegalArgumentException("model " + spec + ": input shape " + Arrays.toString(shape)
                        + " has a non-positive dimension");
            }
            features *= s;
        }
        if (features > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("model " + spec + ": input shape " + Arrays.toString(shape)
                    + " has more than 2^31 features");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("model " + spec + ": at least 2 classes needed, got " + classes);
        }
        int colon = spec.indexOf(':');
        String name = (colon < 0 ? spec : spec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        Map<String, String> opts = options(name, colon < 0 ? null : spec.substring(colon + 1));
        int f = (int) features;
        switch (name) {
            case "logreg":
                allow(name, opts);
                if (classes != 2) {
                    throw new IllegalArgumentException("logreg is binary: it needs exactly 2 classes (labels 0/1), got "
                            + classes + "; use softmax, mlp or cnn for more");
                }
                return new LogisticRegression(f);
            case "softmax":
                allow(name, opts);
                return new SoftmaxRegression(f, classes);
            case "mlp": {
                allow(name, opts, "hidden", "act");
                int[] hidden = widths(opts.getOrDefault("hidden", "256-128"));
                Activation act = activation(opts.getOrDefault("act", "relu"));
                return new Mlp(f, hidden, act, classes);
            }
            case "cnn": {
                allow(name, opts, "c1", "c2", "fc");
                int c1 = positive(name, "c1", opts.getOrDefault("c1", "16"));
                int c2 = positive(name, "c2", opts.getOrDefault("c2", "32"));
                int fc = positive(name, "fc", opts.getOrDefault("fc", "128"));
                if (shape.length != 3) {
                    throw new IllegalArgumentException("cnn needs image input of shape {channels, height, width}, got "
                            + Arrays.toString(shape) + "; use softmax or mlp for flat features");
                }
                if (shape[1] < 4 || shape[2] < 4) {
                    throw new IllegalArgumentException("cnn: images must be at least 4 x 4 (two 2x2 poolings), got "
                            + shape[1] + " x " + shape[2]);
                }
                return new Cnn(shape[0], shape[1], shape[2], classes, c1, c2, fc);
            }
            default:
                throw new IllegalArgumentException("unknown model '" + name + "'; accepted: " + String.join(", ", NAMES));
        }
    }

    /** A model for the data set's {@link Dataset#shape()} and {@link Dataset#classes()}. */
    public static Model create(String spec, Dataset data) {
        return create(spec, data.shape(), data.classes());
    }

    /** One help paragraph for the model {@code name}, for a CLI {@code --help}. */
    public static String help(String name) {
        switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "logreg":
                return "logreg    binary logistic regression (labels 0/1), dense or sparse input; no options";
            case "softmax":
                return "softmax   multiclass linear classifier (softmax regression), dense or sparse input; no options";
            case "mlp":
                return "mlp       multilayer perceptron, softmax output; options: hidden=256-128 (hidden widths),\n"
                        + "          act=relu|tanh|sigmoid (default relu); e.g. mlp:hidden=512-256,act=tanh";
            case "cnn":
                return "cnn       conv5x5(c1)+relu+pool2, conv5x5(c2)+relu+pool2, fc(fc)+relu, fc(classes) for\n"
                        + "          {channels,height,width} images; options: c1=16, c2=32, fc=128; e.g. cnn:c1=8,c2=16,fc=64";
            default:
                throw new IllegalArgumentException("unknown model '" + name + "'; accepted: " + String.join(", ", NAMES));
        }
    }

    /** Help for every model and the syntax, for a CLI {@code --help}. */
    public static String help() {
        StringBuilder sb = new StringBuilder("model spec: name[:key=value,...]\n");
        for (String n : NAMES) {
            sb.append("  ").append(help(n).replace("\n", "\n  ")).append('\n');
        }
        return sb.toString();
    }

    private static Map<String, String> options(String name, String text) {
        Map<String, String> opts = new LinkedHashMap<>();
        if (text == null) {
            return opts;
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException(name + ": empty option list after ':'; expected key=value[,key=value]");
        }
        for (String piece : text.split(",", -1)) {
            int eq = piece.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(name + ": option '" + piece.trim()
                        + "' is not of the form key=value");
            }
            String key = piece.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = piece.substring(eq + 1).trim();
            if (key.isEmpty() || value.isEmpty()) {
                throw new IllegalArgumentException(name + ": option '" + piece.trim() + "' has an empty key or value");
            }
            if (opts.put(key, value) != null) {
                throw new IllegalArgumentException(name + ": option '" + key + "' given twice");
            }
        }
        return opts;
    }

    private static void allow(String name, Map<String, String> opts, String... keys) {
        Set<String> ok = Set.of(keys);
        for (String k : opts.keySet()) {
            if (!ok.contains(k)) {
                throw new IllegalArgumentException(name + ": unknown option '" + k + "'; accepted: "
                        + (keys.length == 0 ? "none" : String.join(", ", keys)));
            }
        }
    }

    private static int[] widths(String text) {
        String[] parts = text.split("-", -1);
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                w[i] = -1;
            }
            if (w[i] <= 0 || w[i] > MAX_WIDTH) {
                throw new IllegalArgumentException("mlp: hidden=" + text + ": '" + parts[i].trim()
                        + "' is not a width in [1, " + MAX_WIDTH + "]; expected widths joined by '-', e.g. 256-128");
            }
        }
        return w;
    }

    private static Activation activation(String text) {
        try {
            return Activation.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mlp: act=" + text + ": " + e.getMessage(), e);
        }
    }

    private static int positive(String name, String key, String text) {
        int v;
        try {
            v = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v <= 0 || v > MAX_WIDTH) {
            throw new IllegalArgumentException(name + ": " + key + "=" + text + " is not an integer in [1, "
                    + MAX_WIDTH + "]");
        }
        return v;
    }
}
