/**
 * Turning measurements into what users read: aligned text tables for people and one JSON object per line
 * (stable key names, written with Gson's streaming writer) for programs.
 */
package org.scaleml.cli.report;
