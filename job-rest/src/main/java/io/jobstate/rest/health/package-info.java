/** MicroProfile Health: readiness (schema migrated, database answering, also as the gauge jobstate_ready) and liveness. */
package io.jobstate.rest.health;
