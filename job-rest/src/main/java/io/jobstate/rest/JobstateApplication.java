package io.jobstate.rest;

import io.jobstate.rest.security.Roles;
import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/** Every resource of the API lives under {@code /api}, behind MicroProfile JWT bearer tokens. */
@ApplicationPath("/api")
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles({Roles.COORDINATOR, Roles.VIEWER})
public class JobstateApplication extends Application {
}
