package org.segstream.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = SegstreamCli.class.getPackage().getImplementationVersion();
    return new String[] {"segstream " + (v == null ? "dev" : v)};
  }
}
