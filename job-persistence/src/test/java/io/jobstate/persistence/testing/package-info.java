/**
 * What every test that drives jobs holds the database to, whatever drove them (a store storm in this
 * module, an HTTP storm in it-tests): {@link io.jobstate.persistence.testing.StoredJobs} reads a set
 * of jobs back, {@link io.jobstate.persistence.testing.HistoryInvariants} checks it. Published as this
 * module's test-jar (only this package), so it-tests uses the same checks without test code entering
 * the production jar.
 */
package io.jobstate.persistence.testing;
