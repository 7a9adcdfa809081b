/**
 * The one progress display of the command line: a status line redrawn in place on a terminal (or printed per
 * redraw for a log file), and a counter of items done on it. Training prints its steps and epochs on it, evaluation
 * and the demo their frames and images. A leaf: it imports only the JDK, so any package may use it.
 */
package org.segstream.progress;
