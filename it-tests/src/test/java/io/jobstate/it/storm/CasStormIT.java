package io.jobstate.it.storm;

import io.jobstate.it.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

class CasStormIT extends LockingPathStorm {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate("cas");
    }

    @Override
    HistoryChecker.Allowed allowed() {
        return HistoryChecker.Allowed.nothingElse();
    }
}
