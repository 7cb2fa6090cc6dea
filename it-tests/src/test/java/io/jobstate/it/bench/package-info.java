/**
 * The benchmark commands ({@code ./jobstate bench}, {@code ./jobstate bench events}) run in their
 * smoke mode against this build's WAR and Liberty, so that a benchmark cannot rot unnoticed.
 */
package io.jobstate.it.bench;
