package io.jobstate.rest.openapi;

import io.jobstate.jobs.JobStatus;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Fills the documented JobStatus enumeration in from {@link JobStatus}, the one owner of the state
 * machine, so the document can never list other statuses than the code has.
 */
public class JobStatusSchemaFilter implements OASFilter {

    static final String SCHEMA = "JobStatus";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        Schema status = openAPI.getComponents().getSchemas().get(SCHEMA);
        if (status != null) {
            List<Object> names = Arrays.stream(JobStatus.values()).<Object>map(Enum::name).toList();
            status.setEnumeration(names);
        }
    }
}
