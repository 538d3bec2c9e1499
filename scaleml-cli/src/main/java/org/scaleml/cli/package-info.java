/**
 * The {@code scaleml} command line: picocli commands that parse and check options, call the drivers in
 * {@link org.scaleml.cli.bench} and print results with {@link org.scaleml.cli.report}. Conventions: every
 * command supports {@code --help}; commands that produce results support {@code --json} (one object per result
 * line, stable keys documented in the command's help); invalid input is one line on standard error and exit
 * code 2; progress is shown only on an interactive terminal.
 */
package org.scaleml.cli;
