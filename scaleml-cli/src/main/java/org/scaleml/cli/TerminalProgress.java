package org.scaleml.cli;

import java.io.Console;
import java.lang.reflect.Method;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.scaleml.cli.bench.PqBench;

/**
 * A progress bar on standard error while benchmarks run, shown only on an interactive terminal: never when
 * output is piped or redirected, so JSON output and logs stay clean.
 */
final class TerminalProgress implements PqBench.Progress, AutoCloseable {
    private final ProgressBar bar;

    private TerminalProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A progress display of {@code steps} steps, or one that shows nothing when not on a terminal. */
    static TerminalProgress open(String task, long steps) {
        if (!interactive()) {
            return new TerminalProgress(null);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .clearDisplayOnFinish()
                .build();
        return new TerminalProgress(bar);
    }

    /**
     * True when a person is watching: {@code System.console()} is non-null and, on JDK 22 and later (where the
     * console may exist without a terminal), {@code Console.isTerminal()} says so; and standard error, where the bar
     * is drawn, is a terminal too ({@link #stderrIsTerminal}).
     */
    static boolean interactive() {
        Console console = System.console();
        if (console == null || !stderrIsTerminal(fd2Target())) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console));
        } catch (NoSuchMethodException e) {
            return true; // JDK 17-21: a console exists only when attached to a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether standard error goes to a terminal, from where file descriptor 2 points ({@code /proc/self/fd/2} on
     * Linux): a terminal device ({@code /dev/pts/N}, {@code /dev/ttyN}, {@code /dev/console}) is one; a file or a
     * pipe is not. Without {@code /proc} (null), the console check alone decides (the JDK cannot ask about stderr).
     */
    static boolean stderrIsTerminal(String fd2) {
        if (fd2 == null) {
            return true;
        }
        return fd2.startsWith("/dev/pts/") || fd2.startsWith("/dev/tty") || fd2.equals("/dev/console");
    }

    /** Where file descriptor 2 of this process points, or null if that cannot be known here. */
    private static String fd2Target() {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void phase(String impl, String phase) {
        if (bar != null) {
            bar.setExtraMessage(impl + " " + phase);
        }
    }

    @Override
    public void done() {
        if (bar != null) {
            bar.step();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
