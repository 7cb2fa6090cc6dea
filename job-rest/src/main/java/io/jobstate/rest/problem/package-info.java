/** Every error as {@code application/problem+json} (RFC 9457): one builder, one mapper per error family. */
package io.jobstate.rest.problem;
