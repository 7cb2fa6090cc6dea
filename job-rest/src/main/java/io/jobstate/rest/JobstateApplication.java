package io.jobstate.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Every resource of the API lives under {@code /api}. */
@ApplicationPath("/api")
public class JobstateApplication extends Application {
}
