/**
 * The deployable artifact as operators run it: job-server's runnable jar started with
 * {@code java -jar} in a process of its own ({@link io.jobstate.it.deploy.PackagedServer}), trusting
 * a token issuer of the test's making ({@link io.jobstate.it.deploy.TestIssuer}), against a
 * throwaway PostgreSQL.
 */
package io.jobstate.it.deploy;
