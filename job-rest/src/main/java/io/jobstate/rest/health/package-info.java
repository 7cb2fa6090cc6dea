/** MicroProfile Health: readiness (schema migrated, database answering) and liveness. */
package io.jobstate.rest.health;
