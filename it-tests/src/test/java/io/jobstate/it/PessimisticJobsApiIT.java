package io.jobstate.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

class PessimisticJobsApiIT extends JobsApiContract {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate("pessimistic");
    }
}
