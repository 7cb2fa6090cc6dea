/**
 * The transition benchmark: the store's paths against pgbench running the very same SQL transaction
 * on the same throwaway (durable) PostgreSQL, in one run. Not a test: run it with
 * {@code ./mvnw -pl job-persistence -am -Pbenchmark -DskipTests verify}.
 */
package io.jobstate.persistence.benchmark;
