package io.jobstate.rest.openapi;

import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.JobStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes the OpenAPI document from the code instead of repeating it: the JobStatus and
 * ConflictReason enumerations come from {@link JobStatus} (the one owner of the state machine) and
 * {@link ConflictReason}, the bounds of the bodies from the domain's constants ({@link DomainBounds}),
 * and every operation behind a bearer token gets the answers every such operation can give (401,
 * 403, and 503 when the database is unavailable), which the resources therefore do not declare.
 * Thread-safe (stateless).
 */
public class JobstateOpenApiFilter implements OASFilter {

    static final String STATUS_SCHEMA = "JobStatus";
    static final String CONFLICT_REASON_SCHEMA = "ConflictReason";
    /** Status code → shared response in {@code META-INF/openapi.yaml}, for every secured operation. */
    static final Map<String, String> SECURED_RESPONSES = Map.of(
            "401", "#/components/responses/Unauthorized",
            "403", "#/components/responses/Forbidden",
            "503", "#/components/responses/Unavailable");

    @Override
    public Operation filterOperation(Operation operation) {
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        if (secured) {
            APIResponses responses = operation.getResponses();
            SECURED_RESPONSES.forEach((code, ref) -> {
                if (!responses.hasAPIResponse(code)) {
                    responses.addAPIResponse(code, OASFactory.createAPIResponse().ref(ref));
                }
            });
        }
        return operation;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        enumerate(schemas, STATUS_SCHEMA, JobStatus.values());
        enumerate(schemas, CONFLICT_REASON_SCHEMA, ConflictReason.values());
        DomainBounds.apply(schemas);
    }

    private static void enumerate(Map<String, Schema> schemas, String name, Enum<?>[] constants) {
        Schema schema = schemas.get(name);
        if (schema == null) {
            throw new IllegalStateException("openapi.yaml has no schema " + name);
        }
        List<Object> names = Arrays.stream(constants).<Object>map(Enum::name).toList();
        schema.setEnumeration(names);
    }
}
