package org.scaleml.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code scaleml} command. {@link #main} runs it and exits with its exit code: 0 on success, 1 when a run
 * failed, 2 on invalid input (an unknown option or command, a value out of range, a bad queue specification).
 * Errors are reported as one line on standard error naming the option and value, never as a stack trace
 * (set the environment variable {@code SCALEML_DEBUG} to also get the stack trace of an unexpected failure).
 */
@Command(name = "scaleml",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        description = {
                "Elastic coordination on the JVM: relaxed concurrent data structures and a relaxed priority",
                "scheduler that trade a measured amount of order for scalability, graph algorithms on it",
                "(sssp, bfs, astar, cc, msf, mis, matching) for your own graph files, belief propagation (bp, ldpc,",
                "denoise), gradient codecs and collectives (bench codec, bench allreduce, launch), and",
                "data-parallel training with compressed communication (train, plot).",
                "",
                "Start with 'scaleml demo'. Every command takes --help; commands that produce results take",
                "--json (one JSON object per result line, keys documented in the command's help).",
        },
        subcommands = {DemoCommand.class, BenchCommand.class, GraphAlgoCommand.Sssp.class, GraphAlgoCommand.Bfs.class,
                GraphAlgoCommand.AStar.class, GraphAlgoCommand.Cc.class, GraphAlgoCommand.Msf.class,
                GraphAlgoCommand.Mis.class, GraphAlgoCommand.Matching.class, DelaunayCommand.class, BpCommand.class,
                LdpcCommand.class, DenoiseCommand.class, TrainCommand.class, PcaCommand.class, PlotCommand.class,
                LaunchCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:a run failed",
                "2:invalid input (unknown option or command, value out of range, bad queue specification, missing or malformed file)",
        })
public final class ScaleMl implements Callable<Integer> {

    /** Exit code for invalid input. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a run that failed. */
    public static final int EXIT_FAILURE = 1;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        cmd.usage(cmd.getErr());
        cmd.getErr().flush();
        return EXIT_USAGE;
    }

    public static void main(String[] args) {
        // a worker of 'scaleml launch' exits by itself when its launcher is gone, even if killed with -9
        org.scaleml.cli.launch.LauncherWatch.startIfLaunched(System.getenv());
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (error handlers installed); tests call this and redirect its output. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ScaleMl());
        cl.setParameterExceptionHandler(PARAMETER_ERRORS);
        cl.setExecutionExceptionHandler(EXECUTION_ERRORS);
        cl.setUsageHelpWidth(100);
        GraphAlgoCommand.listMethodsInHelp(cl);
        BenchCodecCommand.listCodecsInHelp(cl.getSubcommands().get("bench").getSubcommands().get("codec"));
        return cl;
    }

    /** Bad options or values: one line naming the problem, then exit 2. */
    private static final IParameterExceptionHandler PARAMETER_ERRORS = (ex, args) -> {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        PrintWriter err = cmd.getErr();
        err.println(name + ": " + describeUsageError(ex) + " (see '" + name + " --help')");
        err.flush();
        return EXIT_USAGE;
    };

    /**
     * Exceptions from a running command. {@link IllegalArgumentException} means the input was invalid (for
     * example a queue specification rejected by the library) and exits 2; anything else is a failure (exit 1).
     */
    private static final IExecutionExceptionHandler EXECUTION_ERRORS = (ex, cmd, parseResult) -> {
        String name = cmd.getCommandSpec().qualifiedName();
        PrintWriter err = cmd.getErr();
        int code;
        if (ex instanceof IllegalArgumentException) {
            err.println(name + ": " + oneLine(ex.getMessage()));
            code = EXIT_USAGE;
        } else {
            err.println(name + ": failed: " + describe(ex));
            code = EXIT_FAILURE;
        }
        if (System.getenv("SCALEML_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    };

    /** Picocli's message, made friendlier for unknown commands and with suggestions for near misses. */
    private static String describeUsageError(CommandLine.ParameterException ex) {
        String message = oneLine(ex.getMessage());
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            CommandSpec spec = ex.getCommandLine().getCommandSpec();
            if (!first.startsWith("-") && !spec.subcommands().isEmpty()) {
                message = "unknown command '" + first + "'; choose one of: "
                        + String.join(", ", spec.subcommands().keySet());
            } else if (!u.getSuggestions().isEmpty()) {
                message += "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
            }
        }
        return message;
    }

    private static String describe(Throwable ex) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append("; caused by ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(oneLine(t.getMessage()));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** The project version (from the Maven build) and the running JVM. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{
                    "scaleml " + projectVersion(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                            + Runtime.getRuntime().availableProcessors() + " processors",
            };
        }

        /** The Maven project version this jar was built as, or {@code "unknown"}. */
        public static String projectVersion() {
            try (InputStream in = ScaleMl.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    return "unknown";
                }
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "unknown");
                return v.startsWith("${") ? "unknown" : v;
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}
