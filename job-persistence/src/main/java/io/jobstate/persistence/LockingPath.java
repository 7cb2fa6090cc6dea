package io.jobstate.persistence;

import java.util.Locale;

/** How a transition makes its check-and-write atomic. */
public enum LockingPath {
    /** One {@code UPDATE … WHERE status IN (legal predecessors) … RETURNING}: no read before the write. */
    CAS,
    /** {@code SELECT … FOR UPDATE} through EclipseLink, the domain decides on the locked row, then writes. */
    PESSIMISTIC;

    /** Parses the configuration values {@code cas} and {@code pessimistic} (any case). */
    public static LockingPath fromConfig(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
