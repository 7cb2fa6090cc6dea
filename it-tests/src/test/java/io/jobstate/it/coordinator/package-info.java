/**
 * A small coordinator application, deployed to Open Liberty by the integration tests: the
 * coordinator-client jar as a library (Liberty's own MicroProfile Fault Tolerance, REST Client and
 * Config drive it, as in a user's application), an endpoint that performs one operation through
 * {@link io.jobstate.client.coordinator.JobCoordinator}, and a stub of the jobstate API that refuses
 * with 503 + {@code Retry-After} before it accepts, recording every attempt it received.
 */
package io.jobstate.it.coordinator;
