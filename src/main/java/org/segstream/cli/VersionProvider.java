package org.segstream.cli;

import org.segstream.version.SegstreamVersion;
import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"segstream " + SegstreamVersion.current()};
  }
}
