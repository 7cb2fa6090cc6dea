/** The service's own metrics (outcomes, 503s by reason, 5xx answers, request latency) and who may read /metrics. */
package io.jobstate.rest.metrics;
