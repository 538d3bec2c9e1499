package org.scaleml.spark.bench;

import java.io.IOException;

import picocli.CommandLine;

/** The shared {@code main} of the benchmark commands: bad input (I/O, arguments) is one line and exit code 2. */
final class BenchMain {
    private BenchMain() {
    }

    static void run(Object command, String[] args) {
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IOException || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        System.exit(cl.execute(args));
    }
}
