package io.jobstate.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR under test: exactly the artifact job-rest builds. */
final class Deployments {

    private Deployments() {
    }

    static WebArchive jobstate() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("jobstate.it.war")));
    }
}
