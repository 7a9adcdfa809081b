/**
 * The running Segstream's version, from the jar manifest or the build's filtered resource. A leaf: it imports only
 * the JDK, so the command line and the result records both read it here.
 */
package org.segstream.version;
