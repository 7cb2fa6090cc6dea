/**
 * Test support: a private, throwaway PostgreSQL cluster started from the server binaries installed
 * on the machine (else those published on Maven Central) (or an existing server named by
 * {@code JOBSTATE_TEST_DB_URL}), and a JUnit 5 extension that gives each test class a fresh
 * database in it. For failover tests: a primary with a streaming standby promoted by hand
 * ({@link io.jobstate.testing.postgres.ReplicatedPostgres}), and a cluster run by Patroni over etcd
 * with the repository's {@code ops/patroni/patroni.yml} ({@link io.jobstate.testing.postgres.PatroniCluster}).
 * Whatever these start is owned by a guardian script that ends it when the JVM ends, however.
 */
package io.jobstate.testing.postgres;
