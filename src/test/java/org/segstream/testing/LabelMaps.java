package org.segstream.testing;

import org.segstream.image.LabelMap;

/** Tiny label maps written as digit strings, row-major. */
public final class LabelMaps {
  private LabelMaps() {}

  public static LabelMap map(int width, String digits) {
    String clean = digits.replaceAll("[^0-9]", "");
    byte[] labels = new byte[clean.length()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (byte) (clean.charAt(i) - '0');
    }
    return new LabelMap(width, labels.length / width, labels);
  }

  public static double[] doubles(String semicolonSeparated) {
    String[] parts = semicolonSeparated.split(";");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].trim();
      out[i] = p.equals("NaN") ? Double.NaN : p.contains("/") ? fraction(p) : Double.parseDouble(p);
    }
    return out;
  }

  public static double fraction(String p) {
    String[] nd = p.trim().split("/");
    return nd.length == 1 ? Double.parseDouble(nd[0]) : Double.parseDouble(nd[0]) / Double.parseDouble(nd[1]);
  }
}
