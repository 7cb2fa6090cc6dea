package io.jobstate.it.coordinator;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The coordinator application's JAX-RS root: its own endpoint and the stub of the jobstate API. */
@ApplicationPath("/")
public class CoordinatorApplication extends Application {
}
