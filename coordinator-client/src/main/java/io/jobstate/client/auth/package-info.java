/** The bearer token the client sends, from MicroProfile Config. */
package io.jobstate.client.auth;
