package io.jobstate.it;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.ArchivePaths;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The WAR under test: the artifact job-rest builds, with the locking path and the development token
 * key written into its own MicroProfile Config file (so each test class deploys the path it tests).
 */
public final class Deployments {

    private static final String DEV_KEY_IN_WAR = "META-INF/dev-only-public-key.pem";
    private static final ArchivePath CONFIG = ArchivePaths.create("WEB-INF/classes/META-INF/microprofile-config.properties");

    private Deployments() {
    }

    static WebArchive jobstate() {
        return jobstate("cas");
    }

    public static WebArchive jobstate(String locking) {
        return jobstate(locking, Map.of());
    }

    /** The WAR on {@code locking}, with {@code settings} (MicroProfile Config keys) added to its configuration. */
    public static WebArchive jobstate(String locking, Map<String, String> settings) {
        WebArchive war = ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("jobstate.it.war")));
        StringBuilder config = new StringBuilder(read(war)).append("\njobstate.locking=").append(locking)
                .append("\nmp.jwt.verify.publickey.location=").append(DEV_KEY_IN_WAR)
                .append("\nmp.jwt.verify.issuer=").append(DevTokens.ISSUER).append('\n');
        settings.forEach((key, value) -> config.append(key).append('=').append(value).append('\n'));
        war.delete(CONFIG);
        war.add(new StringAsset(config.toString()), CONFIG);
        // the development key, which the WAR itself never carries
        war.addAsResource(new File(System.getProperty("jobstate.it.dev-public-key")), DEV_KEY_IN_WAR);
        return war;
    }

    private static String read(WebArchive war) {
        try (InputStream in = war.get(CONFIG).getAsset().openStream(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
