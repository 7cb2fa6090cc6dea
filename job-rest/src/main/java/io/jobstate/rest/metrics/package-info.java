/** MicroProfile Metrics of the job store's outcomes (request latency comes from Liberty's REST metrics). */
package io.jobstate.rest.metrics;
