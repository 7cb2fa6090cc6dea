package io.jobstate.it.coordinator;

import io.jobstate.client.coordinator.JobCoordinator;
import io.jobstate.client.coordinator.OperationResult;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/**
 * What the coordinator application does for the test: starts one job through {@link JobCoordinator}
 * (one operation, retried by the library as it sees fit) and tells what came of it.
 */
@Path("coordinator/jobs/{id}/start")
@RequestScoped
public class StartEndpoint {

    @Inject
    JobCoordinator jobs;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject start(@PathParam("id") UUID id) {
        return switch (jobs.start(id)) {
            case OperationResult.Applied applied -> Json.createObjectBuilder().add("result", "Applied")
                    .add("status", applied.job().status().name()).add("version", applied.job().version()).build();
            case OperationResult.Superseded superseded -> Json.createObjectBuilder().add("result", "Superseded")
                    .add("status", String.valueOf(superseded.currentStatus())).build();
        };
    }
}
