package org.segstream.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.testing.GrafanaDashboard;

/**
 * The Grafana dashboard's shape, and the reader of the metric names its PromQL queries ({@code KafkaMetricsIT}
 * checks those names against a running {@code run}'s /metrics).
 */
class GrafanaDashboardTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sum by (component) (rate(segstream_frames_out_total{job=~\"$job\"}[$__rate_interval])) | segstream_frames_out_total",
        "histogram_quantile(0.95, sum by (le, stage) (rate(a_bucket[5m]))) | a_bucket",
        "sum(rate(x_sum{stage=\"refine\"}[1m])) / sum(rate(x_sum[1m])) | x_sum",
        "max by (state) (segstream_streams_state) > 0 | segstream_streams_state",
        "a + on (instance) group_left (job) b offset 5m | a b",
        "up and ignoring (job) process_resident_memory_bytes or vector(0) | up process_resident_memory_bytes",
        "max(kafka_stream_thread_commit_latency_avg{client_id=~\"by.*\"}) / 1000 | kafka_stream_thread_commit_latency_avg",
      })
  void findsTheMetricNamesOfAnExpression(String promql, String names) {
    assertEquals(Set.of(names.strip().split(" ")), GrafanaDashboard.metricNames(promql.strip()));
  }

  @Test
  void everyPanelQueriesPrometheusThroughTheDatasourceVariable() throws Exception {
    JsonNode dashboard = GrafanaDashboard.read();
    assertEquals("segstream", dashboard.get("uid").asText());
    List<String> titles = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      titles.add(panel.get("title").asText());
      assertTrue(panel.get("targets").size() > 0, panel.get("title").asText());
      for (JsonNode target : panel.get("targets")) {
        assertEquals("${datasource}", target.at("/datasource/uid").asText(), panel.get("title").asText());
        assertFalse(GrafanaDashboard.metricNames(target.get("expr").asText()).isEmpty(), target.toString());
      }
    }
    assertEquals(titles.size(), Set.copyOf(titles).size(), "titles are unique: " + titles);
  }

  @Test
  void theDashboardCoversThroughputLatencyLagDeadLettersRefineAndMemory() throws Exception {
    Set<String> names = GrafanaDashboard.metricNames(GrafanaDashboard.read());
    for (String name : List.of("segstream_frames_out_total", "segstream_process_capture_to_result_seconds_bucket",
        "kafka_consumer_fetch_manager_records_lag", "kafka_consumer_fetch_manager_records_lag_max",
        "segstream_dead_letters_total", "segstream_process_stage_seconds_sum", "process_resident_memory_bytes",
        "jvm_memory_used_bytes", "kafka_stream_thread_commit_latency_avg", "kafka_producer_record_error_total")) {
      assertTrue(names.contains(name), name + " in " + names);
    }
  }
}
