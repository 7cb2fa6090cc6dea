/**
 * The jobstate HTTP API as a MicroProfile REST Client interface ({@link io.jobstate.client.api.JobstateApi},
 * config key {@code jobstate}) and the contract's representations as records.
 */
package io.jobstate.client.api;
