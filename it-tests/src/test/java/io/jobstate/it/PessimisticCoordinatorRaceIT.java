package io.jobstate.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

class PessimisticCoordinatorRaceIT extends CoordinatorRace {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate("pessimistic");
    }
}
