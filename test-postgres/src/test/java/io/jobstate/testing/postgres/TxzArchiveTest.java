package io.jobstate.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class TxzArchiveTest {

    @TempDir
    Path folder;

    @Test
    void filesKeepTheirModesAndLinksTheirTargets() throws Exception {
        Path archive = txz(tar -> {
            file(tar, "bin/tool", 0755, "#!/bin/sh\n");
            file(tar, "lib/libx.so.1.2", 0644, "x");
            link(tar, "lib/libx.so.1", "libx.so.1.2");
        });
        Path tree = Files.createDirectory(folder.resolve("tree"));

        TxzArchive.extract(archive.toUri().toURL(), tree);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tree.resolve("bin/tool")))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tree.resolve("lib/libx.so.1.2")))).isEqualTo("rw-r--r--");
        assertThat(Files.readSymbolicLink(tree.resolve("lib/libx.so.1"))).isEqualTo(Path.of("libx.so.1.2"));
        assertThat(Files.readString(tree.resolve("lib/libx.so.1"))).isEqualTo("x");
    }

    @Test
    void nothingIsEverWritableByOthers() {
        assertThat(PosixFilePermissions.toString(TxzArchive.permissions(0777))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(TxzArchive.permissions(0100666))).isEqualTo("rw-r--r--");
    }

    @Test
    void anEntryOutsideTheTreeIsRefused() throws Exception {
        Path archive = txz(tar -> file(tar, "../escaped", 0644, "x"));
        Path tree = Files.createDirectory(folder.resolve("tree"));

        assertThatThrownBy(() -> TxzArchive.extract(archive.toUri().toURL(), tree)).hasMessageContaining("outside its tree");
        assertThat(folder.resolve("escaped")).doesNotExist();
    }

    @Test
    void aLinkPointingOutsideTheTreeIsRefused() throws Exception {
        Path archive = txz(tar -> link(tar, "lib/passwd", "../../etc/passwd"));
        Path tree = Files.createDirectory(folder.resolve("tree"));

        assertThatThrownBy(() -> TxzArchive.extract(archive.toUri().toURL(), tree)).hasMessageContaining("outside its tree");
        assertThat(tree.resolve("lib/passwd")).doesNotExist();
    }

    private interface Entries {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private Path txz(Entries entries) throws IOException {
        Path archive = folder.resolve("test.txz");
        try (OutputStream out = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZOutputStream(out, new LZMA2Options()))) {
            entries.write(tar);
        }
        return archive;
    }

    private static void file(TarArchiveOutputStream tar, String name, int mode, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(mode);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }
}
