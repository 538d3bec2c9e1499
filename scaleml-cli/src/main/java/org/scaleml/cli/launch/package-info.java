/** Starting and supervising the worker JVMs of a job on one machine ({@code scaleml launch}). */
package org.scaleml.cli.launch;
