package io.jobstate.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies a folder tree, for tests that clone a Liberty server or keep a run's output. Stateless. */
public final class FolderCopy {

    private FolderCopy() {
    }

    /**
     * Copies {@code from} (a file, or a folder with the folders and regular files below it) to {@code to}, creating the
     * folders on the way; nothing if {@code from} is missing.
     */
    public static void copyTree(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(path)) {
                    // Regular files only: the bench's folder holds a FIFO (its numbering hold), which blocks an open.
                    Files.createDirectories(target.getParent());
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
