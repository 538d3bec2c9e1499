/**
 * Benchmark drivers behind the {@code scaleml bench} commands, usable without the command line: they take
 * plain settings, run on threads they create and join themselves, and return results as records.
 */
package org.scaleml.cli.bench;
