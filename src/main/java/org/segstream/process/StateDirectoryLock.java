package org.segstream.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock on {@code <state dir>/segstream.lock}, held while an instance runs: a
 * second process started with the same instance id on this host fails at once with a message,
 * before it joins the group and fences the running one. (Kafka Streams locks its state directory
 * only when the topology has persistent stores; Segstream's batch buffer is in memory.) The OS
 * drops the lock when the process dies, so a hard kill leaves nothing to clean up.
 */
final class StateDirectoryLock implements AutoCloseable {
  static final String FILE_NAME = "segstream.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private StateDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static StateDirectoryLock acquire(InstanceIdentity identity) {
    Path dir = identity.stateDir();
    Path file = dir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse(identity);
      }
      return new StateDirectoryLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw inUse(identity);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock the state directory " + dir + " of instance " + identity.id()
          + " (" + e + "): give a writable state directory (the state-dir setting)", e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static IllegalStateException inUse(InstanceIdentity identity) {
    return new IllegalStateException("the state directory " + identity.stateDir() + " is in use by another running process"
        + " as instance " + identity.id() + ": two live instances with one id would fence each other;"
        + " give each instance on this host its own id (the instance-id setting; its state directory follows unless given)");
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // nothing was locked through it; the error that brought us here is the one to report
    }
  }

  @Override
  public void close() throws IOException {
    if (!channel.isOpen()) {
      return; // released already
    }
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
