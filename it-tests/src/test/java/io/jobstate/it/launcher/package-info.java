/**
 * The launcher's safety rules ({@code scripts/lib/service.sh}), run in bash without starting
 * anything: which interface the server may listen on, and a port already taken.
 */
package io.jobstate.it.launcher;
