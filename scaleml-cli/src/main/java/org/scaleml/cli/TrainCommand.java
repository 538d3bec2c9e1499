package org.scaleml.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.scaleml.cli.launch.JobEnvironment;
import org.scaleml.cli.launch.Launcher;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.comm.transport.Transport;
import org.scaleml.train.Checkpoint;
import org.scaleml.train.DataParallelTrainer;
import org.scaleml.train.InProcessJob;
import org.scaleml.train.data.Dataset;
import org.scaleml.train.data.Datasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scaleml train}: data-parallel training of a model on a data set with N workers. */
@Command(name = "train",
        header = "Trains a model data-parallel, with compressed or relaxed communication.",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Trains a model data-parallel on --workers workers: each worker computes the gradient of its own",
                "mini-batch of its shard of the training set, the gradients are averaged over all workers by an",
                "allreduce (plain, or compressed per layer by --codec, e.g. qsgd:bits=4 or ef:topk:ratio=0.01), and",
                "every worker applies the same update, so all hold the same model (checked every epoch).",
                "--trainer relaxes that coordination (local SGD, SwarmSGD gossip, partial allreduce that",
                "tolerates stragglers, Hogwild threads), --aggregator hardens it against Byzantine workers",
                "(simulated with --attackers), and --codec adaptive:bits=B picks bit widths per layer.",
                "",
                "Workers run as threads of this JVM (--transport inproc, optionally on a simulated link of",
                "--link-gbps) or as separate JVMs over authenticated TCP (--transport tcp: started here, as",
                "'scaleml launch' would, unless this process already is a rank of a launched job, e.g. under",
                "scripts/netns-job.sh for a rate-limited network).",
                "",
                "With --checkpoint DIR every worker writes its state atomically every --checkpoint-every steps;",
                "--resume continues from the newest checkpoint all workers have, and ends with exactly the",
                "parameters an uninterrupted run would have. A progress bar shows each epoch on a terminal.",
                "",
        },
        footerHeading = "%nOutput: one line per epoch (with --json a JSON object; --out FILE also appends the JSON "
                + "lines to FILE). Keys:%n",
        footer = {
                "  epoch, steps     1-based epoch; global steps done at its end (epochSteps: in this epoch)",
                "  trainLoss        mean training loss of the epoch's steps over all workers (null if it diverged)",
                "  testAccuracy     accuracy on the whole test set after the epoch",
                "  seconds          wall time of the epoch's training steps (evaluation excluded)",
                "  elapsedSeconds   training seconds since the run began (including before a resumption)",
                "  bytesSentPerRank payload bytes one worker sent in the epoch (mean over workers)",
                "  totalBytesSentPerRank   the same since the run began; bytesPerStep: per step in the epoch",
                "  stepsPerSecond   steps per second of training time in the epoch",
                "  paramsIdentical  every worker's parameters were bitwise equal at the epoch's end (swarm: false,",
                "                   and testAccuracy is that of the mean of the workers' models)",
                "  plan             the exchange plan (with adaptive:bits=B, the current per-layer bit widths)",
                "  label, data, model, trainer, localSteps, aggregator, attackers, attack, straggler, locked,",
                "  codec, workers, batch, transport, optimizer, parameters: the run",
                "",
                "Models (--model name[:key=value,...]):",
                "  logreg    binary logistic regression (labels 0/1), dense or sparse input",
                "  softmax   multiclass linear classifier, dense or sparse input",
                "  mlp       multilayer perceptron: hidden=256-128 (widths), act=relu|tanh|sigmoid",
                "  cnn       conv5x5(c1)+relu+pool, conv5x5(c2)+relu+pool, fc(fc)+relu, fc for images:",
                "            c1=16, c2=32, fc=128",
                "",
                "Optimizers (--optimizer name[:key=value,...]):",
                "  sgd       lr (0.01), momentum (0), nesterov (false), wd (L2 weight decay, 0)",
                "  adam      lr (0.001), beta1 (0.9), beta2 (0.999), eps (1e-8), wd (decoupled, 0)",
                "  both      schedule=constant|cosine|step (step: every=N, gamma=0.1), warmup=W steps",
                "",
                "Examples:",
                "  scaleml train --data fashion-mnist --model mlp --workers 4 --codec qsgd:bits=4 --epochs 5 --json",
                "  scaleml train --data ../shared/data/libsvm/a9a --model logreg --workers 2 --epochs 3",
                "  scaleml train --model cnn --checkpoint ckpt --checkpoint-every 200 --resume --out cnn.jsonl",
                "  scaleml train --trainer partial --straggler 1:5 --json",
                "  scaleml train --workers 5 --attackers 1 --attack signflip:scale=10 --aggregator median",
                "  scaleml train --trainer local --local-steps 8 --codec qsgd:bits=4",
                "  scaleml train --trainer hogwild --workers 2      (--locked for the locked baseline)",
                "  scaleml train --codec adaptive:bits=4           (layer-wise bit widths; the plan is printed)%n",
        })
final class TrainCommand implements Callable<Integer> {
    /*
     * The wiring of a run: TrainOptions holds the flags, TrainValidator checks them (first those that need no
     * data, then, with the training set loaded, the rest) and builds the TrainSettings, TrainReporter shows the
     * run. Without a launched job, --transport tcp starts one here whose ranks each run this same command; a rank
     * (or an in-process run) trains and maps the trainer's failures to exit codes: 2 for input or a checkpoint
     * that does not fit the run, 1 (with the newest checkpoint to resume from) for anything else.
     */

    @Spec
    CommandSpec spec;

    @Mixin
    TrainOptions options = new TrainOptions();

    @Override
    public Integer call() throws Exception {
        TrainValidator validator = new TrainValidator(spec, options);
        TrainValidator.Checked checked = validator.checkFlags();
        String t = checked.transport();
        boolean inLaunchedJob = t.equals("tcp") && JobEnvironment.present(System.getenv());
        if (t.equals("tcp") && !inLaunchedJob) {
            // Not a rank yet: start the job, each worker running this very command as one rank.
            List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
            if (args.isEmpty() || !args.get(0).equals("train")) {
                args.add(0, "train");
            }
            spec.commandLine().getOut().flush();
            return new Launcher(options.workers, "127.0.0.1", args, Map.of()).run(System.out, System.err);
        }
        Datasets.TrainTest tt = validator.load();
        Dataset train = validator.limited(tt.train());
        TrainValidator.Settings settings = validator.settings(checked, train);
        int world = inLaunchedJob ? JobEnvironment.from(System.getenv()).world() : options.workers;
        validator.checkBatchFits(train, world);
        TrainReporter rep = new TrainReporter(options, settings.settings(), train, tt.test(), world,
                settings.parameters(), spec.commandLine().getOut(), spec.commandLine().getErr());
        if (inLaunchedJob) {
            runRank(JobEnvironment.from(System.getenv()), settings, train, tt.test(), rep);
        } else {
            runInProcess(settings, train, tt.test(), rep);
        }
        return rep.exitCode();
    }

    /** This process's rank of a launched TCP job. */
    private void runRank(JobEnvironment job, TrainValidator.Settings settings, Dataset train, Dataset test,
                         TrainReporter rep) {
        try (Transport tr = job.connect(options.transportOptions.tcpConfig(spec));
             Communicator comm = new Communicator(tr)) {
            new DataParallelTrainer(settings.settings()).run(comm, train, test, rep);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Checkpoint.CheckpointException e) {
            throw new IllegalArgumentException("--resume: rank " + job.rank() + ": " + ScaleMl.oneLine(
                    e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("rank " + job.rank() + ": " + ScaleMl.oneLine(String.valueOf(
                    e.getMessage())) + lastCheckpointHint(), e);
        } finally {
            rep.close();
        }
    }

    /** Every worker as a thread of this JVM. */
    private void runInProcess(TrainValidator.Settings settings, Dataset train, Dataset test, TrainReporter rep)
            throws InterruptedException {
        try {
            InProcessJob.train(settings.settings(), train, test, options.workers,
                    options.transportOptions.bytesPerSecond(), rep);
        } catch (InProcessJob.TrainingFailedException e) {
            if (e.getCause() instanceof Checkpoint.CheckpointException
                    || e.getCause() instanceof IllegalArgumentException) {
                // a checkpoint that does not fit this run, or input a rank found invalid: exit 2, and no advice
                // to resume from that very checkpoint
                throw new IllegalArgumentException((e.getCause() instanceof IllegalArgumentException ? ""
                        : "--resume: ") + ScaleMl.oneLine(e.getCause().getMessage()), e.getCause());
            }
            throw new IllegalStateException(e.getMessage() + lastCheckpointHint(), e.getCause());
        } finally {
            rep.close();
        }
    }

    /** Where to resume from, for the message of a failed run: "" without --checkpoint. */
    private String lastCheckpointHint() {
        if (options.checkpoint == null) {
            return "";
        }
        try {
            List<Long> st = Checkpoint.steps(options.checkpoint, 0);
            return st.isEmpty() ? "; no checkpoint was written" : "; the newest checkpoint is step "
                    + st.get(st.size() - 1) + " in " + options.checkpoint + " (continue with --resume)";
        } catch (IOException e) {
            return "";
        }
    }
}
