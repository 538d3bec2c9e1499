package org.scaleml.cli.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * Ends a worker JVM whose {@link Launcher} is gone, so that a launcher killed with {@code kill -9} (which runs no
 * shutdown hook and so cannot stop its workers) leaves no orphans behind.
 *
 * <p><b>Mechanism: a lifeline pipe.</b> The launcher starts every worker with its standard input connected to a
 * pipe whose write end only the launcher holds, never writes to and never closes while the job runs, and sets
 * {@value #LAUNCHER_PID} in the worker's environment. A worker that finds that variable reads its standard input
 * on a daemon thread; end of file (or a read error) means the write end was closed, which the kernel does when the
 * launcher process ends in any way, including {@code SIGKILL}. The worker then prints one line on standard error
 * and exits with code {@value #EXIT_ORPHANED}.
 *
 * <p>Why a pipe rather than polling the launcher's process id: the kernel reports the launcher's death at once
 * (no polling interval), a reused process id cannot fool it, it survives wrappers that exec the worker (such as
 * {@code ip netns exec}), and it needs no particular parent/child relationship. Its one requirement is that
 * nothing else holds the pipe's write end: the JDK closes every inherited descriptor above 2 in child processes,
 * so sibling workers do not keep each other's lifelines open.
 *
 * <p>A worker started by hand (the variable unset) is not watched: its standard input is left alone.
 */
public final class LauncherWatch {
    /** Environment variable: the launcher's process id; its presence means standard input is the lifeline. */
    public static final String LAUNCHER_PID = "SCALEML_LAUNCHER_PID";
    /** Exit code of a worker that ended because its launcher is gone. */
    public static final int EXIT_ORPHANED = 1;
    /** How long shutdown hooks may take before the JVM is halted. */
    private static final long HALT_AFTER_MILLIS = 5000;

    private LauncherWatch() {
    }

    /**
     * Starts watching the lifeline if {@code env} says this JVM is a launcher's worker.
     *
     * @return true if a watch was started
     */
    public static boolean startIfLaunched(Map<String, String> env) {
        String pid = env.get(LAUNCHER_PID);
        if (pid == null) {
            return false;
        }
        start(System.in, pid, System.err, () -> exit(EXIT_ORPHANED));
        return true;
    }

    /**
     * Watches {@code lifeline} on a daemon thread: at its end of file (or a read failure), prints why on
     * {@code err} and runs {@code onLost}. Bytes read are discarded.
     */
    static Thread start(InputStream lifeline, String launcherPid, PrintStream err, Runnable onLost) {
        Thread t = new Thread(() -> {
            byte[] sink = new byte[256];
            try {
                while (lifeline.read(sink) >= 0) {
                    // the launcher never writes; anything read is ignored
                }
            } catch (IOException e) {
                // a broken pipe is the same news as its end
            }
            err.println("scaleml: the launcher (process " + launcherPid + ") is gone; this worker stops");
            err.flush();
            onLost.run();
        }, "scaleml-launcher-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** {@link System#exit}, and a halt if shutdown hooks take longer than a few seconds. */
    private static void exit(int code) {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MILLIS);
            } catch (InterruptedException e) {
                // halt now
            }
            Runtime.getRuntime().halt(code);
        }, "scaleml-launcher-watch-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(code);
    }
}
