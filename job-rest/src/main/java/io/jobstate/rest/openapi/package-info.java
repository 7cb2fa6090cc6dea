/** The OpenAPI document: shared parts in META-INF/openapi.yaml, filled in from the domain. */
package io.jobstate.rest.openapi;
