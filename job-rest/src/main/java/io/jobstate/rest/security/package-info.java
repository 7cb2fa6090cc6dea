/**
 * Who may do what: MicroProfile JWT bearer tokens whose {@code groups} claim holds the roles
 * ({@link io.jobstate.rest.security.Roles}), and problem bodies for the server's own 401/403.
 */
package io.jobstate.rest.security;
