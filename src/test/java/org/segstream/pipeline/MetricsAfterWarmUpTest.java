package org.segstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.segstream.kafka.ClientMetrics;
import org.segstream.telemetry.PipelineMetrics;

/** run's processor metrics: nothing of the warm-up stream reaches them, everything after it does. */
class MetricsAfterWarmUpTest {
  /** A PipelineMetrics that lists the names of the methods called on it. */
  private static PipelineMetrics recording(List<String> calls) {
    return (PipelineMetrics) Proxy.newProxyInstance(PipelineMetrics.class.getClassLoader(),
        new Class<?>[] {PipelineMetrics.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("equals") ? proxy == args[0] : method.getName().equals("hashCode") ? 0 : "recording";
          }
          calls.add(method.getName());
          return method.getReturnType() == ClientMetrics.class ? ClientMetrics.NONE : null;
        });
  }

  private static void recordOneOfEach(PipelineMetrics m) {
    m.framePublished("s");
    m.frameDropped("s", "queue");
    m.reconnected("s");
    m.frameIn("s");
    m.frameOut("s", 12);
    m.deadLettered("DECODE");
    m.productionError("t", "E");
    m.batch(3);
    m.leftOut("REFINEMENT");
    m.temporal("blended");
    m.stageTimes(1, 2, 3, 4, 5);
  }

  @Test
  void nothingReachesTheMetricsBeforeOpenAndEverythingAfter() {
    List<String> calls = new ArrayList<>();
    MetricsAfterWarmUp metrics = new MetricsAfterWarmUp(recording(calls));
    recordOneOfEach(metrics);
    assertEquals(List.of(), calls, "recorded during the warm-up");
    metrics.open();
    recordOneOfEach(metrics);
    assertEquals(List.of("framePublished", "frameDropped", "reconnected", "frameIn", "frameOut", "deadLettered",
        "productionError", "batch", "leftOut", "temporal", "stageTimes"), calls);
  }

  @Test
  void theKafkaClientsAreBoundAtOnce() {
    List<String> calls = new ArrayList<>();
    MetricsAfterWarmUp metrics = new MetricsAfterWarmUp(recording(calls));
    assertSame(ClientMetrics.NONE, metrics.kafkaClients());
    assertEquals(List.of("kafkaClients"), calls);
  }

  /** A method added to PipelineMetrics later must be gated too, not fall through to its empty default. */
  @Test
  void everyMethodOfTheInterfaceIsOverridden() throws Exception {
    for (Method m : PipelineMetrics.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Method own = MetricsAfterWarmUp.class.getMethod(m.getName(), m.getParameterTypes());
      assertSame(MetricsAfterWarmUp.class, own.getDeclaringClass(), m.getName() + " is not overridden");
    }
    assertTrue(PipelineMetrics.class.getMethods().length >= 12, "the interface's methods were found");
  }
}
