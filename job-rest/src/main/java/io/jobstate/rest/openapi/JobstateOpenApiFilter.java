package io.jobstate.rest.openapi;

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
 * Completes the OpenAPI document from the code instead of repeating it on every operation: the
 * JobStatus enumeration comes from {@link JobStatus}, the one owner of the state machine, and every
 * operation behind a bearer token gets the answers every such operation can give (401, 403, and 503
 * when the database is unavailable), which the resources therefore do not declare.
 */
public class JobstateOpenApiFilter implements OASFilter {

    static final String STATUS_SCHEMA = "JobStatus";
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
        Schema status = openAPI.getComponents().getSchemas().get(STATUS_SCHEMA);
        if (status != null) {
            List<Object> names = Arrays.stream(JobStatus.values()).<Object>map(Enum::name).toList();
            status.setEnumeration(names);
        }
    }
}
