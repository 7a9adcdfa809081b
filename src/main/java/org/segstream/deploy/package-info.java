/**
 * Packaging the service for containers: unpacking every native library (FFmpeg, OpenCV, OpenBLAS, TensorFlow) at
 * image build time and writing the Java argument file that finds them on a read-only root. It imports only the
 * JDK, JavaCV/JavaCPP and TensorFlow's loader; nothing of ours imports it (the image build runs it by name).
 */
package org.segstream.deploy;
