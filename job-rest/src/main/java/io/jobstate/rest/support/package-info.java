/** Small pieces the server's packages share. */
package io.jobstate.rest.support;
