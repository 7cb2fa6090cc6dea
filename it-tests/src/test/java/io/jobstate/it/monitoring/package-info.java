/**
 * The shipped monitoring (ops/prometheus, ops/grafana) under test: promtool's checks and unit tests of the
 * rules, the metric names their expressions and the dashboard's queries use, and a real Prometheus
 * scraping a running instance.
 */
package io.jobstate.it.monitoring;
