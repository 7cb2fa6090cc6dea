/**
 * Traces (MicroProfile Telemetry): what the server span of an API request says about the job and
 * the outcome, a child span per store call, and the background passes as traces of their own. With
 * the OpenTelemetry SDK off (the default) every call here goes to OpenTelemetry's no-op API.
 */
package io.jobstate.rest.tracing;
