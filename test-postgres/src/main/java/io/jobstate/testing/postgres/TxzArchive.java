package io.jobstate.testing.postgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks a {@code .txz} (an XZ-compressed tar, as zonky publishes PostgreSQL) into a folder:
 * folders, files with their modes (never writable by group or others), symbolic links (the
 * libraries' version links) and hard links. The formats are read by Commons Compress (tar) and XZ
 * for Java; what is hand-written is only the mapping onto the file system, with a guard against
 * entries or links that point outside the tree. Thread-safe (no state).
 */
final class TxzArchive {

    private static final Set<PosixFilePermission> OPEN_FOLDER = PosixFilePermissions.fromString("rwxr-xr-x");
    /** Group and others may read and run, never write; the owner keeps what the archive gave it. */
    private static final int MASK = 0755;

    private TxzArchive() {
    }

    static void extract(URL archive, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZInputStream(new BufferedInputStream(archive.openStream(), 1 << 16)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path path = inside(into, into.resolve(entry.getName()));
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    Files.setPosixFilePermissions(path, OPEN_FOLDER);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    inside(into, path.getParent().resolve(entry.getLinkName()));
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(inside(into, into.resolve(entry.getLinkName())), path);
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                }
            }
        }
    }

    /** Refuses an entry (or a link target) that would land outside the tree: a damaged or hostile archive. */
    private static Path inside(Path root, Path path) {
        Path normalised = path.normalize();
        if (!normalised.startsWith(root)) {
            throw new IllegalStateException("the archive names a path outside its tree: " + path);
        }
        return normalised;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        int kept = mode & MASK;
        StringBuilder text = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = kept >> shift;
            text.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return PosixFilePermissions.fromString(text.toString());
    }
}
