/**
 * The OpenAPI document the server serves, held against the service: every exchange of the HTTP
 * tests is checked against it ({@link io.jobstate.it.openapi.ExchangeCheck}, counted by
 * {@link io.jobstate.it.openapi.ExchangeTally}), and a client generated from it
 * ({@link io.jobstate.it.openapi.GeneratedClient}) drives a job's whole life.
 */
package io.jobstate.it.openapi;
