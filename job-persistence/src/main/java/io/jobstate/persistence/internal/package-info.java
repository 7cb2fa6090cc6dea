/**
 * Implementation of the job store: JPA entities, the compare-and-set SQL, the pessimistic path,
 * and the translation of database failures into domain outcomes at this boundary.
 */
package io.jobstate.persistence.internal;
