package io.jobstate.it.storm;

import io.jobstate.it.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

class PessimisticStormIT extends LockingPathStorm {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate("pessimistic");
    }

    /** Lock waits past the deployment's PT0.3S answer 503, which the client retries. */
    @Override
    HistoryChecker.Allowed allowed() {
        return HistoryChecker.Allowed.lockWaits();
    }
}
