package io.jobstate.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL binaries from Maven Central, used explicitly even on a machine that has its own:
 * unpacked once into the cache, and running a throwaway cluster exactly as the machine's binaries
 * do (the guardian, an unprivileged user when the build runs as root).
 */
class MavenPostgresBinariesIT {

    private static final Duration BOUND = Duration.ofSeconds(120);

    private Path scratch;

    @BeforeEach
    void scratchFolder() throws Exception {
        scratch = Files.createTempDirectory("jobstate-pg-cache-test",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @AfterEach
    void deleteScratch() throws Exception {
        try (Stream<Path> paths = Files.walk(scratch)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Test
    void theMavenBinariesRunAThrowawayClusterOfPostgresql17() throws Exception {
        Path bin = MavenPostgresBinaries.locate().orElseThrow();
        assertThat(bin).startsWith(MavenPostgresBinaries.defaultCache());

        assertTimeoutPreemptively(BOUND, () -> {
            try (ThrowawayPostgres cluster = ThrowawayPostgres.start(PostgresSettings.forTests(), bin);
                 Connection connection = cluster.connect("postgres");
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT current_setting('server_version_num')::int, "
                         + "current_setting('data_directory')")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1) / 10000).isEqualTo(17);
                assertThat(rows.getString(2)).startsWith(cluster.directory().toString());
                // as root the cluster belongs to an unprivileged user, who could read and run the cache
                assertThat(Files.getOwner(cluster.directory().resolve("data")).getName()).isNotEqualTo("root");
            }
        });
    }

    @Test
    void theArchiveIsUnpackedOnceThenServedFromTheCache() throws Exception {
        URL archive = archive();

        Path first = MavenPostgresBinaries.unpack(archive, scratch.resolve("cache"));
        Object fileKey = Files.readAttributes(first.resolve("postgres"), BasicFileAttributes.class).fileKey();
        Path second = MavenPostgresBinaries.unpack(archive, scratch.resolve("cache"));

        assertThat(second).isEqualTo(first);
        assertThat(Files.readAttributes(second.resolve("postgres"), BasicFileAttributes.class).fileKey()).isEqualTo(fileKey);
        assertThat(PostgresBinaries.hasServerTools(first)).isTrue();
        // the libraries' version links survive, and nothing is left half-unpacked beside the tree
        assertThat(Files.isSymbolicLink(first.resolveSibling("lib").resolve("libpq.so.5"))).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.getParent()))).isEqualTo("rwxr-xr-x");
        try (Stream<Path> entries = Files.list(scratch.resolve("cache"))) {
            assertThat(entries).containsExactly(first.getParent());
        }
    }

    @Test
    void anIncompleteTreeIsReplaced() throws Exception {
        URL archive = archive();
        Path bin = MavenPostgresBinaries.unpack(archive, scratch.resolve("cache"));
        Files.delete(bin.resolve("initdb"));

        Path again = MavenPostgresBinaries.unpack(archive, scratch.resolve("cache"));

        assertThat(again).isEqualTo(bin);
        assertThat(PostgresBinaries.hasServerTools(again)).isTrue();
    }

    @Test
    void aCacheFolderOthersMayWriteToIsRefused() throws Exception {
        Path cache = Files.createDirectory(scratch.resolve("open"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> MavenPostgresBinaries.unpack(archive(), cache))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing the PostgreSQL binaries cache");
        try (Stream<Path> entries = Files.list(cache)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void aCacheFolderThatIsALinkIsRefused() throws Exception {
        Path real = Files.createDirectory(scratch.resolve("real"));
        Path link = Files.createSymbolicLink(scratch.resolve("link"), real);

        assertThatThrownBy(() -> MavenPostgresBinaries.unpack(archive(), link))
                .isInstanceOf(IllegalStateException.class);
        try (Stream<Path> entries = Files.list(real)) {
            assertThat(entries).isEmpty();
        }
    }

    private static URL archive() {
        String name = MavenPostgresBinaries.archiveName(System.getProperty("os.name"), System.getProperty("os.arch"))
                .orElseThrow();
        URL archive = MavenPostgresBinaries.class.getClassLoader().getResource(name);
        assertThat(archive).as("zonky's archive %s on the class path", name).isNotNull();
        return archive;
    }
}
