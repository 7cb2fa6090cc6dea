/**
 * Test support: a private, throwaway PostgreSQL cluster started from the server binaries installed
 * on the machine (else those published on Maven Central) (or an existing server named by {@code JOBSTATE_TEST_DB_URL}), and a JUnit 5
 * extension that gives each test class a fresh database in it.
 */
package io.jobstate.testing.postgres;
