package org.scaleml.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of {@code scaleml train} (a picocli mixin): what to train on which data, how the workers coordinate and
 * compress, the transport, checkpoints and the output. The fields hold the values as given; {@link TrainValidator}
 * checks them and turns them into {@link org.scaleml.train.TrainSettings}. The declaration order is the order of the
 * options in {@code --help}.
 */
final class TrainOptions {
    @Option(names = "--data", paramLabel = "NAME|PATH", defaultValue = "fashion-mnist",
            description = "fashion-mnist or mnist (looked up in /usr/share/datasets/NAME and ../shared/data/NAME), a "
                    + "directory of IDX files, or a LIBSVM or CSV file (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--model", paramLabel = "SPEC", defaultValue = "mlp",
            description = "logreg, softmax, mlp, cnn, or a specification with parameters (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "4",
            description = "number of workers, 1 to 64 (default: ${DEFAULT-VALUE}); under a launched job, its world")
    int workers;

    @Option(names = "--trainer", paramLabel = "NAME", defaultValue = "sync",
            description = "sync (gradients averaged every step), local (local SGD: models averaged every "
                    + "--local-steps), swarm (SwarmSGD: local steps, then gossip averaging with a random partner), "
                    + "hogwild (lock-free shared-memory SGD on --workers threads of this JVM), partial (gradients "
                    + "summed by a majority allreduce that does not wait for stragglers); default: ${DEFAULT-VALUE}")
    String trainer;

    @Option(names = "--local-steps", paramLabel = "H",
            description = "local steps between averagings: local (default 8) and swarm (default 2)")
    Integer localSteps;

    @Option(names = "--aggregator", paramLabel = "RULE", defaultValue = "mean",
            description = "sync: how gradients are combined: mean, median, trimmed-mean[:trim=B], krum[:m=M], "
                    + "clip[:tau=T,iters=L] (default: ${DEFAULT-VALUE})")
    String aggregator;

    @Option(names = "--worker-momentum", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "robust aggregators: the SGD optimizer's momentum moves to the workers, which send their "
                    + "velocity instead of the gradient (less variance for the rule to see; default: on; "
                    + "--no-worker-momentum sends raw gradients)")
    boolean workerMomentum;

    @Option(names = "--attackers", paramLabel = "F", defaultValue = "0",
            description = "the last F workers are simulated Byzantine workers (default: 0)")
    int attackers;

    @Option(names = "--attack", paramLabel = "KIND", defaultValue = "signflip",
            description = "what an attacker sends: signflip (-X g), scaled (X g), noise (Gaussian, std X); "
                    + "optionally :scale=X (default X: 10, 10, 1; default attack: ${DEFAULT-VALUE})")
    String attack;

    @Option(names = "--straggler", paramLabel = "RANK:SLOWDOWN",
            description = "make worker RANK SLOWDOWN times slower per step, e.g. 1:5")
    String straggler;

    @Option(names = "--quorum", paramLabel = "majority|solo", defaultValue = "majority",
            description = "partial: a round closes when more than half the workers (majority) or the first one "
                    + "(solo) sent their gradient (default: ${DEFAULT-VALUE})")
    String quorum;

    @Option(names = "--locked",
            description = "hogwild: copy the model and update it under one lock (the consistent baseline)")
    boolean locked;

    @Option(names = "--codec", paramLabel = "SPEC", defaultValue = "none",
            description = "gradient codec of every layer of at least --min-compress elements, or none "
                    + "(see 'scaleml bench codec --help'), or adaptive:bits=B for a layer-wise plan of bit widths "
                    + "averaging B bits; swarm: the codec of the gossiped models; hogwild: a sparsifier of the "
                    + "updates, e.g. ef:topk:ratio=0.1 (default: ${DEFAULT-VALUE})")
    String codec;

    @Option(names = "--layer-codec", paramLabel = "LAYER=SPEC",
            description = "per-layer override, repeatable: a layer name or PREFIX* and a codec or none, e.g. "
                    + "fc3.*=none or conv*=maxmin:bits=8")
    List<String> layerCodecs = new ArrayList<>();

    @Option(names = "--min-compress", paramLabel = "N", defaultValue = "1024",
            description = "layers with fewer elements travel uncompressed (default: ${DEFAULT-VALUE})")
    int minCompress;

    @Option(names = "--per-layer-calls",
            description = "one compressed allreduce per layer instead of one per codec (layers sharing a codec are "
                    + "otherwise concatenated: fewer rounds of latency per step)")
    boolean perLayerCalls;

    @Option(names = "--optimizer", paramLabel = "SPEC",
            description = "optimizer specification (default: sgd:lr=0.1,momentum=0.9,nesterov=true,"
                    + "schedule=cosine for mlp, adam:lr=0.001 for cnn, sgd:lr=0.5 for logreg and softmax); see the "
                    + "optimizers below")
    String optimizer;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "32",
            description = "examples per worker per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "5", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--max-steps", paramLabel = "S", defaultValue = "0",
            description = "at most S steps per epoch, 0 for a full pass (default: 0)")
    int maxSteps;

    @Option(names = "--max-features", paramLabel = "N", defaultValue = "16777216",
            description = "LIBSVM input: refuse feature indices above N, which would size the model "
                    + "(default: ${DEFAULT-VALUE})")
    int maxFeatures;

    @Option(names = "--classes", paramLabel = "K", defaultValue = "0",
            description = "declare the class count: labels are then the class indices 0 to K-1 in every format "
                    + "(a label outside is an error naming the file and line or byte offset); default: inferred "
                    + "(IDX: the largest label + 1, refused if a class below it has no example; CSV: labels must be "
                    + "non-negative integers, one class per distinct label)")
    int classes;

    @Option(names = "--train-limit", paramLabel = "N", defaultValue = "0",
            description = "use only the first N training examples, 0 for all (default: 0)")
    int trainLimit;

    @Mixin
    TransportOptions transportOptions = new TransportOptions();

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "write checkpoints into DIR")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "200",
            description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--resume", description = "continue from the newest checkpoint in --checkpoint DIR")
    boolean resume;

    @Option(names = "--seed", defaultValue = "42",
            description = "seed of initialization, sharding, shuffles and codecs (default: 42)")
    long seed;

    @Option(names = "--label", paramLabel = "TEXT", description = "name of the run in reports and plots "
            + "(default: model, codec and workers)")
    String label;

    @Option(names = "--out", paramLabel = "FILE", description = "also append the JSON lines to FILE")
    Path out;

    @Option(names = "--json", description = "print JSON lines (keys below)")
    boolean json;
}
