package io.jobstate.rest.security;

/** The roles of the contract: coordinators change jobs, viewers (and coordinators) read them. */
public final class Roles {

    public static final String COORDINATOR = "coordinator";
    public static final String VIEWER = "viewer";

    private Roles() {
    }
}
