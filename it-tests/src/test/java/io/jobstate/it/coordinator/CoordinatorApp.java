package io.jobstate.it.coordinator;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The coordinator application as a WAR: the coordinator-client jar the build produced (in
 * {@code WEB-INF/lib}, as a user's application carries it), this package's classes, and a
 * configuration that points the client at the stub inside the same application.
 */
public final class CoordinatorApp {

    /** The WAR's name, hence its context root. */
    public static final String NAME = "coordinator-app";

    private CoordinatorApp() {
    }

    /** The application for a server listening on {@code port} (the client calls the stub through it). */
    public static WebArchive war(int port) {
        JavaArchive client = ShrinkWrap.createFromZipFile(JavaArchive.class, new File(System.getProperty("jobstate.it.client-jar")));
        String config = "jobstate/mp-rest/url=http://localhost:" + port + "/" + NAME + "/stub\n";
        return ShrinkWrap.create(WebArchive.class, NAME + ".war")
                .addClasses(CoordinatorApplication.class, StartEndpoint.class, StubJobstate.class)
                .addAsLibrary(client)
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties")
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }
}
