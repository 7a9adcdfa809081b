package org.segstream.telemetry;

/** What {@code /health/live} and {@code /health/ready} answer: 200 when ok, else 503, with a one-line reason. */
public interface Health {
  record Check(boolean ok, String detail) {
    public static Check up(String detail) {
      return new Check(true, detail);
    }

    public static Check down(String detail) {
      return new Check(false, detail);
    }
  }

  /** The process works (restart it when not). */
  Check live();

  /** The process does its job now (send it traffic, count it in). */
  Check ready();

  /** Live and ready as long as the process runs: for commands without further state. */
  static Health always(String detail) {
    return new Health() {
      @Override
      public Check live() {
        return Check.up(detail);
      }

      @Override
      public Check ready() {
        return Check.up(detail);
      }
    };
  }
}
